package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// doConflict keeps both sides of a path changed differently on each: the
// newer stays under the name, the older is saved beside it under a
// conflict name, on both sides.
func (e *Engine) doConflict(ctx context.Context, en entry) error {
	cn, err := e.conflictName(ctx, en.rel)
	if err != nil {
		return err
	}
	if time.Unix(0, en.l.mtime).After(en.r.modified) {
		return e.localWins(ctx, en, cn)
	}
	return e.remoteWins(ctx, en, cn)
}

// remoteWins moves the local file to the conflict name, uploads it there
// and downloads the remote object under the name.
func (e *Engine) remoteWins(ctx context.Context, en entry, cn string) error {
	if err := e.unchangedLocal(en.rel, en.l); err != nil {
		return err
	}
	if err := os.Rename(join(e.root, en.rel), join(e.root, cn)); err != nil {
		return fmt.Errorf("keep conflicting %s as %s: %w", en.rel, cn, err)
	}
	moved := *en.l
	moved.rel = cn
	if err := e.doUpload(ctx, entry{rel: cn, l: &moved}); err != nil {
		return fmt.Errorf("upload conflict copy %s: %w", cn, err)
	}
	e.opts.Logger.Warn("conflict: kept the local version beside the remote one", "path", en.rel, "copy", cn)
	return e.doDownload(ctx, entry{rel: en.rel, r: en.r})
}

// localWins copies the remote object to the conflict name (server side)
// and downloads it there, then uploads the local file under the name.
func (e *Engine) localWins(ctx context.Context, en entry, cn string) error {
	src := objstore.CopySource{Bucket: e.pair.Bucket, Key: en.r.key, Conditions: objstore.Conditions{IfMatch: en.r.etag}}
	co := objstore.CopyOptions{Source: src, IfNoneMatch: "*"}
	info, err := transfer.Copy(ctx, e.store, e.pair.Bucket, e.pair.Key(cn), co, e.opts.Transfer)
	if errors.Is(err, objstore.ErrPreconditionFailed) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", en.r.key, errChanged)
	}
	if err != nil {
		return fmt.Errorf("keep conflicting %s as %s: %w", en.r.key, cn, err)
	}
	copied := &remote{rel: cn, key: e.pair.Key(cn), size: info.Size, etag: info.ETag, modified: info.LastModified}
	if err := e.doDownload(ctx, entry{rel: cn, r: copied}); err != nil {
		return fmt.Errorf("download conflict copy %s: %w", cn, err)
	}
	e.opts.Logger.Warn("conflict: kept the remote version beside the local one", "path", en.rel, "copy", cn)
	return e.doUpload(ctx, en)
}

// conflictName returns a free name beside rel for the losing side of a
// conflict: "name (conflict YYYY-MM-DD HHMMSS host).ext".
func (e *Engine) conflictName(ctx context.Context, rel string) (string, error) {
	dir, base := path.Split(rel)
	ext := path.Ext(base)
	if ext == base {
		ext = "" // a dotfile such as .bashrc has no extension
	}
	stem := strings.TrimSuffix(base, ext)
	stamp := e.opts.Now().Format("2006-01-02 150405")
	for n := 1; ; n++ {
		tag := fmt.Sprintf(" (conflict %s %s)", stamp, e.opts.Host)
		if n > 1 {
			tag = fmt.Sprintf(" (conflict %s %s %d)", stamp, e.opts.Host, n)
		}
		name := dir + stem + tag + ext
		free, err := e.free(ctx, name)
		if err != nil || free {
			return name, err
		}
	}
}

// free tells whether neither side has anything at rel.
func (e *Engine) free(ctx context.Context, rel string) (bool, error) {
	if l, err := e.lstat(rel); err != nil || l != nil {
		return false, err
	}
	_, err := e.store.HeadObject(ctx, e.pair.Bucket, e.pair.Key(rel), objstore.GetOptions{})
	if errors.Is(err, objstore.ErrNoSuchKey) {
		return true, nil
	}
	return false, err
}
