package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
)

// doPullMeta gives the local file the mode and mtime the remote object
// now records, its content being the same.
func (e *Engine) doPullMeta(ctx context.Context, en entry) error {
	info, err := e.store.HeadObject(ctx, e.pair.Bucket, en.r.key, objstore.GetOptions{Conditions: objstore.Conditions{IfMatch: en.r.etag}})
	if errors.Is(err, objstore.ErrPreconditionFailed) || errors.Is(err, objstore.ErrNoSuchKey) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", en.r.key, errChanged)
	}
	if err != nil {
		return fmt.Errorf("head %s: %w", en.r.key, err)
	}
	if err := e.unchangedLocal(en.rel, en.l); err != nil {
		return err
	}
	a := fsmeta.Parse(info.UserMetadata)
	p := join(e.root, en.rel)
	if perm, ok := a.Perm(); ok && !en.l.isLink() {
		if err := os.Chmod(p, perm&^(fs.ModeSetuid|fs.ModeSetgid)); err != nil {
			return fmt.Errorf("chmod %s: %w", en.rel, err)
		}
	}
	if !a.Mtime.IsZero() {
		if en.l.isLink() {
			lchtimes(p, a.Mtime)
		} else if err := os.Chtimes(p, a.Mtime, a.Mtime); err != nil {
			return fmt.Errorf("set mtime of %s: %w", en.rel, err)
		}
	}
	now, err := e.lstat(en.rel)
	if err != nil || now == nil {
		return fmt.Errorf("%s: %w", en.rel, errChanged)
	}
	rec := *en.s
	rec.Size, rec.Mtime, rec.Mode = now.size, now.mtime, now.mode
	rec.Modified = en.r.modified.UnixMilli()
	return e.db.Put(en.rel, rec)
}
