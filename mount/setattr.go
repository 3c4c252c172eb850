package mount

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// Setattr truncates (a closed file is stored right away) and changes
// mode, owner and mtime. Those are kept in the staged file's journal
// record while its content is not stored, else rewritten in the stored
// metadata.
func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if n.fsys.opts.ReadOnly {
		return syscall.EROFS
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if size, ok := in.GetSize(); ok {
		if errno := n.setSizeLocked(ctx, int64(size), f == nil); errno != 0 {
			return errno
		}
	}
	if _, ok := in.GetMTime(); ok && n.opens > 0 {
		n.timed = true // as tar's futimens: the program sets the times last
	}
	if a, changed := n.wantedAttrs(in); changed {
		if errno := n.setAttrsLocked(ctx, a); errno != 0 {
			return errno
		}
	}
	n.fillLocked(&out.Attr)
	return 0
}

// setSizeLocked truncates the file. A truncation by path (truncate(2),
// byPath) or of a file no handle has open is stored right away; one
// through an open file (ftruncate(2)) when the file is flushed.
func (n *node) setSizeLocked(ctx context.Context, size int64, byPath bool) syscall.Errno {
	if n.a.isDir() {
		return syscall.EISDIR
	}
	if errno := n.awaitNoPassthroughLocked(ctx); errno != 0 {
		return errno
	}
	if errno := n.truncateLocked(ctx, size); errno != 0 {
		return errno
	}
	if n.opens > 0 && !byPath {
		return 0
	}
	errno := n.storeLocked(ctx)
	n.dropStageLocked()
	return errno
}

// wantedAttrs returns the attributes in asks for and whether they differ.
func (n *node) wantedAttrs(in *fuse.SetAttrIn) (attrs, bool) {
	a := n.a
	if m, ok := in.GetMode(); ok {
		a.mode = n.a.fileType() | m&0o7777
	}
	if uid, ok := in.GetUID(); ok {
		a.uid = uid
	}
	if gid, ok := in.GetGID(); ok {
		a.gid = gid
	}
	if mt, ok := in.GetMTime(); ok {
		a.mtime = mt
	}
	return a, a.mode != n.a.mode || a.uid != n.a.uid || a.gid != n.a.gid || !a.mtime.Equal(n.a.mtime)
}

// setAttrsLocked makes a the node's attributes.
func (n *node) setAttrsLocked(ctx context.Context, a attrs) syscall.Errno {
	if n.dirty {
		// The record holds mode and owner; the mtime is the staged file's.
		rejournal := a.mode != n.a.mode || a.uid != n.a.uid || a.gid != n.a.gid
		if !a.mtime.Equal(n.a.mtime) {
			os.Chtimes(n.st.f.Name(), time.Time{}, a.mtime)
		}
		n.a = a
		n.gen++
		if a.isDir() {
			n.scheduleLocked() // a no-op while its upload waits
		}
		if !rejournal {
			return 0
		}
		if n.opens > 0 {
			// Like the content, they are journaled by the close:
			// tar's fchown and fchmod cost one record, not two.
			n.stale = true
			return 0
		}
		return n.journalLocked(n.key())
	}
	if _, inTree := n.relPath(); n.IsRoot() || n.removed || !inTree {
		n.a = a
		return 0
	}
	if a.isDir() {
		return n.setDirAttrsLocked(ctx, a)
	}
	a, err := n.fsys.rewriteMeta(ctx, n.key(), a)
	n.keepETag = a.etag
	if err != nil {
		n.fsys.log.Error("store attributes", "key", n.key(), "err", err)
		return toErrno(err)
	}
	n.a = a
	n.fetched = time.Now()
	return 0
}

// journalLocked writes the journal record of the node's staged content,
// to be stored as key with the node's mode and owner now.
func (n *node) journalLocked(key string) syscall.Errno {
	r := record{Bucket: n.fsys.opts.Bucket, Key: key, Mode: n.a.mode, UID: n.a.uid, GID: n.a.gid}
	if err := n.st.journal(r); err != nil {
		n.fsys.log.Error("journal staged file", "key", r.Key, "err", err)
		return toErrno(err)
	}
	n.stale = false
	return 0
}

// putMarker writes the marker of the directory prefix with a's metadata.
func (f *FS) putMarker(ctx context.Context, prefix string, a attrs) error {
	po := objstore.PutOptions{Size: 0, ObjectMeta: objstore.ObjectMeta{ContentType: dirContentType, UserMetadata: a.userMetadata()}}
	if _, err := f.store.PutObject(ctx, f.opts.Bucket, prefix, bytes.NewReader(nil), po); err != nil {
		return fmt.Errorf("put marker %s: %w", prefix, err)
	}
	return nil
}

// rewriteMeta replaces the metadata of the version of key a describes
// with a's, by a server-side copy onto itself, and returns a with the
// new ETag.
func (f *FS) rewriteMeta(ctx context.Context, key string, a attrs) (attrs, error) {
	co := objstore.CopyOptions{
		Source:            objstore.CopySource{Bucket: f.opts.Bucket, Key: key, Conditions: objstore.Conditions{IfMatch: a.etag}},
		MetadataDirective: objstore.MetadataReplace,
		Meta:              objstore.ObjectMeta{ContentType: contentType(key), UserMetadata: a.userMetadata()},
	}
	if a.isLink() {
		co.Meta.ContentType = "application/octet-stream"
	}
	info, err := transfer.Copy(ctx, f.store, f.opts.Bucket, key, co, f.opts.transferOptions())
	if err != nil {
		return a, fmt.Errorf("rewrite metadata of %s: %w", key, err)
	}
	a.etag, a.size = info.ETag, info.Size
	return a, nil
}
