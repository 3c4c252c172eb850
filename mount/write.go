package mount

import (
	"context"
	"os"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

var (
	_ fs.NodeWriter   = (*node)(nil)
	_ fs.NodeFlusher  = (*node)(nil)
	_ fs.NodeFsyncer  = (*node)(nil)
	_ fs.NodeReleaser = (*node)(nil)
	_ fs.NodeCreater  = (*node)(nil)
)

// stageLocked gives the node local content: empty when empty is set or
// nothing is stored, else a copy of the whole stored object.
func (n *node) stageLocked(ctx context.Context, empty bool) syscall.Errno {
	if n.st != nil {
		return 0
	}
	st, err := n.fsys.journal.create()
	if err != nil {
		n.fsys.log.Error("stage file", "key", n.key(), "err", err)
		return toErrno(err)
	}
	if !empty && !n.local && n.a.size > 0 {
		topts := n.fsys.opts.transferOptions()
		info, err := transfer.DownloadAt(ctx, n.fsys.store, n.fsys.opts.Bucket, n.key(), st.f, topts)
		if err != nil {
			st.discard()
			n.fsys.log.Error("stage file", "key", n.key(), "err", err)
			return toErrno(err)
		}
		n.a.etag, n.a.size = info.ETag, info.Size
		n.ed = newEdits(info.ETag, info.Size)
	}
	n.st = st
	n.seq = n.ed == nil
	return 0
}

// markDirtyLocked records that the staged content is not stored yet:
// first in the journal, so that a crash cannot lose it.
func (n *node) markDirtyLocked(key string) syscall.Errno {
	if n.dirty {
		return 0
	}
	r := record{Bucket: n.fsys.opts.Bucket, Key: key, Mode: n.a.mode, UID: n.a.uid, GID: n.a.gid}
	if err := n.st.journal(r); err != nil {
		n.fsys.log.Error("journal staged file", "key", key, "err", err)
		return toErrno(err)
	}
	n.dirty = true
	n.fsys.setDirty(n, true)
	return 0
}

// truncateLocked sets the length of the file's content.
func (n *node) truncateLocked(ctx context.Context, size int64) syscall.Errno {
	if errno := n.stageLocked(ctx, size == 0); errno != 0 {
		return errno
	}
	if errno := n.markDirtyLocked(n.key()); errno != 0 {
		return errno
	}
	cur, err := n.st.size()
	if err != nil {
		return toErrno(err)
	}
	if n.ed != nil {
		n.ed.mark(min(size, cur), max(size, cur)-min(size, cur))
	}
	if size != cur {
		n.dropStream()
		n.seq = size == 0 && n.ed == nil
	}
	if err := n.st.f.Truncate(size); err != nil {
		return toErrno(err)
	}
	n.touchLocked()
	return 0
}

// touchLocked sets the modification time to now, here and on the staged
// file (whose mtime a recovery stores).
func (n *node) touchLocked() {
	n.a.mtime = time.Now()
	os.Chtimes(n.st.f.Name(), time.Time{}, n.a.mtime)
}

// Write writes to the staged content, staging the file first.
func (n *node) Write(ctx context.Context, f fs.FileHandle, data []byte, off int64) (uint32, syscall.Errno) {
	if n.fsys.opts.ReadOnly {
		return 0, syscall.EROFS
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if errno := n.stageLocked(ctx, false); errno != 0 {
		return 0, errno
	}
	if errno := n.markDirtyLocked(n.key()); errno != 0 {
		return 0, errno
	}
	if h, ok := f.(*handle); ok && h.appendOnly {
		size, err := n.st.size()
		if err != nil {
			return 0, toErrno(err)
		}
		off = size
	}
	if n.ed != nil {
		n.ed.mark(off, int64(len(data)))
	}
	if n.seq {
		if size, err := n.st.size(); err != nil || off != size {
			n.seq = false
			n.dropStream()
		}
	}
	k, err := n.st.f.WriteAt(data, off)
	n.a.mtime = time.Now()
	if err != nil {
		return uint32(k), toErrno(err)
	}
	n.pumpLocked(ctx)
	return uint32(k), 0
}

// pumpLocked sends the whole parts of a file written in order from empty
// once it holds two of them, while it is still being written.
func (n *node) pumpLocked(ctx context.Context) {
	if !n.seq {
		return
	}
	size, err := n.st.size()
	if err != nil {
		return
	}
	if n.strm == nil {
		if size < 2*n.fsys.opts.PartSize {
			return
		}
		n.strm, err = n.fsys.startStream(ctx, n.st.f, n.key(), n.a)
		if err != nil {
			n.fsys.log.Warn("early upload of a file being written", "key", n.key(), "err", err)
			n.seq = false
			return
		}
	}
	if !n.strm.pump(size) {
		n.seq = false
		n.dropStream()
	}
}

// dropStream discards the upload under way, if any.
func (n *node) dropStream() {
	if n.strm != nil {
		n.strm.abort()
		n.strm = nil
	}
}

// Flush stores the file when it holds content not stored yet; close(2)
// reports a failure. A signal to the closing process (Go programs get
// them all the time for preemption) interrupts the request, but not the
// upload: close returns once the content is stored, or failed to be.
func (n *node) Flush(ctx context.Context, f fs.FileHandle) syscall.Errno {
	return n.sync(context.WithoutCancel(ctx))
}

// Fsync stores the file when it holds content not stored yet, whatever
// signals interrupt the request (see Flush).
func (n *node) Fsync(ctx context.Context, f fs.FileHandle, flags uint32) syscall.Errno {
	return n.sync(context.WithoutCancel(ctx))
}

// Release stores what is left to store (writes through a shared mmap
// may come after the last flush) and drops the staged content once the
// last handle is gone.
func (n *node) Release(ctx context.Context, f fs.FileHandle) syscall.Errno {
	errno := n.sync(context.WithoutCancel(ctx))
	n.mu.Lock()
	defer n.mu.Unlock()
	n.opens--
	n.dropStageLocked()
	return errno
}

// dropStageLocked removes the staged content of a clean, closed file.
func (n *node) dropStageLocked() {
	if n.opens == 0 && !n.dirty && n.st != nil {
		n.st.discard()
		n.st = nil
		n.fetched = time.Now()
	}
}

// sync stores the staged content if it is not stored yet. On failure the
// content stays staged and journaled.
func (n *node) sync(ctx context.Context) syscall.Errno {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.uploadLocked(ctx)
}

// uploadLocked stores the staged content of a dirty node.
func (n *node) uploadLocked(ctx context.Context) syscall.Errno {
	if !n.dirty || n.removed {
		return 0
	}
	rel, ok := n.relPath()
	if !ok {
		return 0 // replaced by a rename: nothing to store
	}
	key := n.fsys.opts.Prefix + rel
	size, err := n.st.size()
	if err != nil {
		return toErrno(err)
	}
	info, err := n.store(ctx, key, size)
	if err != nil {
		n.fsys.log.Error("store file", "key", key, "err", err)
		return toErrno(err)
	}
	if err := n.st.settle(); err != nil {
		n.fsys.log.Warn("settle staged file", "key", key, "err", err)
	}
	n.dirty, n.local = false, false
	n.fsys.setDirty(n, false)
	n.a.etag, n.a.size = info.ETag, size
	n.ed = newEdits(info.ETag, size)
	n.seq = false
	n.keepETag = info.ETag
	n.forgetParentListing()
	return 0
}

// store uploads the staged content as key: reusing the unchanged parts
// of the stored version when it can, else sending it all.
func (n *node) store(ctx context.Context, key string, size int64) (objstore.ObjectInfo, error) {
	if s := n.strm; s != nil {
		n.strm, n.seq = nil, false
		info, err := s.finish(ctx, key, size, n.a)
		if err == nil {
			return info, nil
		}
		n.fsys.log.Info("early upload failed: sending the whole file", "key", key, "err", err)
	}
	if n.ed != nil {
		info, handled, err := n.fsys.uploadEdited(ctx, key, n.st.f, size, n.a, n.ed)
		if handled {
			return info, err
		}
		if err != nil {
			n.fsys.log.Info("stored version changed: sending the whole file", "key", key, "err", err)
		}
	}
	return n.fsys.upload(ctx, key, n.st.f, size, n.a)
}

// forgetParentListing drops the listing of the node's directory.
func (n *node) forgetParentListing() {
	if _, parent := n.Parent(); parent != nil {
		parent.Operations().(*node).forgetListing()
	}
}

// Create creates a file with empty staged content; it is stored when
// first flushed.
func (n *node) Create(ctx context.Context, name string, flags uint32, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	if n.fsys.opts.ReadOnly {
		return nil, nil, 0, syscall.EROFS
	}
	if !validName(name) {
		return nil, nil, 0, syscall.EINVAL
	}
	cn := &node{fsys: n.fsys, local: true, opens: 1, fetched: time.Now()}
	cn.a = n.fsys.newAttrs(ctx, syscall.S_IFREG|mode&0o7777)
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if errno := cn.stageLocked(ctx, true); errno != 0 {
		return nil, nil, 0, errno
	}
	if errno := cn.markDirtyLocked(n.childKey(name)); errno != 0 {
		cn.st.discard()
		return nil, nil, 0, errno
	}
	cn.fillLocked(&out.Attr)
	n.forgetListing()
	in := n.NewInode(ctx, cn, fs.StableAttr{Mode: syscall.S_IFREG})
	return in, &handle{appendOnly: flags&syscall.O_APPEND != 0}, 0, 0
}

// newAttrs returns the attributes of a new entry of mode made by the
// caller of ctx.
func (f *FS) newAttrs(ctx context.Context, mode uint32) attrs {
	a := attrs{mode: mode, uid: f.opts.UID, gid: f.opts.GID, mtime: time.Now()}
	if c, ok := fuse.FromContext(ctx); ok {
		a.uid, a.gid = c.Uid, c.Gid
	}
	return a
}
