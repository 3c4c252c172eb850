package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strings"
	"syscall"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/state"
)

// doUpload stores the local file of en as its remote object. In two-way
// mode the write is conditional on the remote being what the pass saw.
func (e *Engine) doUpload(ctx context.Context, en entry) error {
	l := en.l
	data, inMemory, err := e.readSmall(l)
	if err != nil {
		return err
	}
	if !inMemory {
		if err := l.hash(e.root); err != nil {
			return err
		}
	}
	po := objstore.PutOptions{ObjectMeta: e.objectMeta(l)}
	if e.opts.Mode == TwoWay {
		if en.r == nil {
			po.IfNoneMatch = "*"
		} else {
			po.IfMatch = en.r.etag
		}
	}
	key := e.pair.Key(en.rel)
	var info objstore.ObjectInfo
	if inMemory {
		info, err = e.putBytes(ctx, l, key, data, po)
	} else {
		info, err = e.put(ctx, l, key, po)
	}
	if errors.Is(err, objstore.ErrPreconditionFailed) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", key, errChanged)
	}
	if err != nil {
		return err
	}
	rec := l.record(info.ETag, info.VersionID)
	if now, err := e.lstat(en.rel); err != nil || now == nil || !now.sameStat(&rec) {
		// Modified while it went up: the remote may hold a mix. Record
		// it as stored, but with a size no file has, so that the next
		// pass uploads the file again.
		rec.Size, rec.Hash = -1, ""
		if err := e.db.Put(en.rel, rec); err != nil {
			return err
		}
		return fmt.Errorf("%s: %w", en.rel, errChanged)
	}
	return e.db.Put(en.rel, rec)
}

// put writes l's content as key: a symlink's target, or the file's bytes
// through a resumable (multipart, when large) upload.
func (e *Engine) put(ctx context.Context, l *local, key string, po objstore.PutOptions) (objstore.ObjectInfo, error) {
	if l.isLink() {
		po.Size = int64(len(l.link))
		return e.store.PutObject(ctx, e.pair.Bucket, key, strings.NewReader(l.link), po)
	}
	f, err := os.OpenFile(join(e.root, l.rel), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("open %s: %w", l.rel, err)
	}
	defer f.Close()
	opts := e.opts.Transfer
	opts.Put = po
	opts.Progress = e.opts.Reporter.Moved
	return transfer.UploadResumable(ctx, e.store, e.pair.Bucket, key, f, l.size, e.resume(l), opts)
}

// smallUpload is the size up to which a file goes up in one PUT from a
// single read into memory, which its hashes are taken from too, rather
// than from a read of its own.
const smallUpload = 1 << 20

// readSmall reads a regular file small enough for one PUT into memory and
// hashes it; inMemory is false for a symlink or a larger file, which are
// read where they are. A file whose size is no longer the one the pass
// saw is changed, and waits for the next pass.
func (e *Engine) readSmall(l *local) (data []byte, inMemory bool, err error) {
	if l.isLink() || l.size > smallUpload || e.multipart(l.size) {
		return nil, false, nil
	}
	f, err := os.OpenFile(join(e.root, l.rel), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, false, fmt.Errorf("open %s: %w", l.rel, err)
	}
	defer f.Close()
	data = make([]byte, l.size+1)
	n, err := io.ReadFull(f, data)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, false, fmt.Errorf("read %s: %w", l.rel, err)
	}
	if int64(n) != l.size {
		return nil, false, fmt.Errorf("%s: %w", l.rel, errChanged)
	}
	data = data[:n]
	if l.sha == "" {
		sh := sha256.Sum256(data)
		l.sha = hex.EncodeToString(sh[:])
	}
	return data, true, nil
}

// putBytes writes data, the content of l read by readSmall, as key.
func (e *Engine) putBytes(ctx context.Context, l *local, key string, data []byte, po objstore.PutOptions) (objstore.ObjectInfo, error) {
	opts := e.opts.Transfer
	opts.Put = po
	opts.Progress = e.opts.Reporter.Moved
	return transfer.UploadResumable(ctx, e.store, e.pair.Bucket, key, bytes.NewReader(data), l.size, e.resume(l), opts)
}

// multipart tells whether an upload of size bytes goes in parts, and so
// can be resumed.
func (e *Engine) multipart(size int64) bool {
	th := e.opts.Transfer.Threshold
	if th <= 0 {
		th = transfer.DefaultThreshold
	}
	return size >= th
}

// resume returns how an upload of l continues an interrupted one (of the
// same file, unchanged) and remembers a new one. A file that goes up in
// one PUT has no upload to resume, and none is looked for.
func (e *Engine) resume(l *local) transfer.Resume {
	if !e.multipart(l.size) {
		return transfer.Resume{}
	}
	r := transfer.Resume{Started: func(id string) error {
		return e.db.PutUpload(l.rel, state.Upload{ID: id, Size: l.size, Mtime: l.mtime})
	}}
	if u, ok, err := e.db.GetUpload(l.rel); err == nil && ok && u.Size == l.size && u.Mtime == l.mtime {
		r.UploadID = u.ID
		e.opts.Logger.Info("resuming upload", "path", l.rel, "upload", u.ID)
	}
	return r
}

// objectMeta returns the metadata an upload of l carries: its attributes
// as the pass stat'ed them, in s3fs's names, its SHA-256 and a content
// type from its extension.
func (e *Engine) objectMeta(l *local) objstore.ObjectMeta {
	meta := attrsOf(l).Metadata()
	meta[shaMeta] = l.sha
	ct := mime.TypeByExtension(path.Ext(l.rel))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return objstore.ObjectMeta{ContentType: ct, UserMetadata: meta}
}

// attrsOf returns the attributes of l as its object (or marker) stores
// them.
func attrsOf(l *local) fsmeta.Attrs {
	return fsmeta.Attrs{Mode: l.mode, UID: l.uid, GID: l.gid, HasUID: true, HasGID: true, Mtime: unixNano(l.mtime)}
}

// lstat describes the file (or symlink) at the local path rel now; nil
// when there is none: nothing, or a directory.
func (e *Engine) lstat(rel string) (*local, error) {
	fi, err := os.Lstat(join(e.root, rel))
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err == nil && fi.IsDir() {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return newLocal(e.root, rel, fi)
}

// unchangedLocal checks that rel is still as the pass saw it (want nil:
// absent), or fails with errChanged.
func (e *Engine) unchangedLocal(rel string, want *local) error {
	now, err := e.lstat(rel)
	if err != nil {
		return err
	}
	switch {
	case want == nil && now == nil:
		return nil
	case want == nil, now == nil:
		return fmt.Errorf("%s: %w", rel, errChanged)
	case now.size != want.size || now.mtime != want.mtime || now.mode != want.mode:
		return fmt.Errorf("%s: %w", rel, errChanged)
	}
	return nil
}

// doDeleteRemote deletes the object of a file deleted locally; on a
// versioned bucket that is a delete marker and the content stays in history.
func (e *Engine) doDeleteRemote(ctx context.Context, en entry) error {
	if err := e.unchangedLocal(en.rel, nil); err != nil {
		return err
	}
	if err := e.deleteUnchanged(ctx, e.pair.Key(en.rel), en.s.ETag); err != nil {
		return err
	}
	return e.db.Delete(en.rel)
}

// doRenameRemote renames an object the way its file was renamed locally:
// a server-side copy of the recorded version, then a delete of the old key.
func (e *Engine) doRenameRemote(ctx context.Context, from, to entry) error {
	if err := e.unchangedLocal(from.rel, nil); err != nil {
		return err
	}
	if err := e.unchangedLocal(to.rel, to.l); err != nil {
		return err
	}
	src := objstore.CopySource{Bucket: e.pair.Bucket, Key: e.pair.Key(from.rel), VersionID: from.s.VersionID}
	if src.VersionID == "" {
		src.Conditions.IfMatch = from.s.ETag
	}
	co := objstore.CopyOptions{Source: src, MetadataDirective: objstore.MetadataReplace, Meta: e.objectMeta(to.l), IfNoneMatch: "*"}
	info, err := transfer.Copy(ctx, e.store, e.pair.Bucket, e.pair.Key(to.rel), co, e.opts.Transfer)
	if err != nil {
		return err
	}
	if err := e.db.Put(to.rel, to.l.record(info.ETag, info.VersionID)); err != nil {
		return err
	}
	if _, err := e.store.DeleteObject(ctx, e.pair.Bucket, src.Key, objstore.DeleteOptions{}); err != nil {
		return fmt.Errorf("delete %s: %w", src.Key, err)
	}
	return e.db.Delete(from.rel)
}

// doUpdateMeta stores changed attributes (mode, mtime) of a file whose
// content did not change, by copying the object onto itself.
func (e *Engine) doUpdateMeta(ctx context.Context, en entry) error {
	if err := en.l.hash(e.root); err != nil {
		return err
	}
	key := e.pair.Key(en.rel)
	src := objstore.CopySource{Bucket: e.pair.Bucket, Key: key, Conditions: objstore.Conditions{IfMatch: en.r.etag}}
	co := objstore.CopyOptions{Source: src, MetadataDirective: objstore.MetadataReplace, Meta: e.objectMeta(en.l)}
	info, err := transfer.Copy(ctx, e.store, e.pair.Bucket, key, co, e.opts.Transfer)
	if errors.Is(err, objstore.ErrPreconditionFailed) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", key, errChanged)
	}
	if err != nil {
		return err
	}
	return e.db.Put(en.rel, en.l.record(info.ETag, info.VersionID))
}

// doRecord renews the record of a path both sides agree on.
func (e *Engine) doRecord(_ context.Context, en entry) error {
	if err := en.l.hash(e.root); err != nil {
		return err
	}
	rec := en.l.record(en.r.etag, "")
	rec.Modified = en.r.modified.UnixMilli()
	return e.db.Put(en.rel, rec)
}
