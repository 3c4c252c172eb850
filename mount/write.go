package mount

import (
	"context"
	"os"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

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
	if errno := n.journalLocked(key); errno != 0 {
		return errno
	}
	n.dirty = true
	n.jkey.Store(&key)
	n.gen++
	n.fsys.setDirty(n, key, true)
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
	n.gen++
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
	var k int
	var err error
	if n.strm != nil {
		k, err = n.strm.write(data, off)
	} else {
		k, err = n.st.f.WriteAt(data, off)
	}
	n.a.mtime = time.Now()
	n.gen++
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

// Flush schedules the upload of a file holding content not stored yet
// and returns: the content is staged and journaled (write-back; with
// Options.SyncClose it waits until the file is stored, whatever signals
// interrupt the request). It reports EIO when the last background upload
// of the file failed (that upload is tried again).
func (n *node) Flush(ctx context.Context, f fs.FileHandle) syscall.Errno {
	if n.fsys.opts.SyncClose {
		return n.sync(context.WithoutCancel(ctx))
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stale && n.dirty {
		if errno := n.journalLocked(n.key()); errno != 0 {
			return errno
		}
	}
	errno := n.takeUploadErrorLocked()
	n.scheduleLocked()
	return errno
}

// Fsync stores the file when it holds content not stored yet, waiting
// for an upload of it under way, whatever signals interrupt the request.
func (n *node) Fsync(ctx context.Context, f fs.FileHandle, flags uint32) syscall.Errno {
	return n.sync(context.WithoutCancel(ctx))
}

// Release schedules what is left to store (writes through a shared mmap
// may come after the last flush) and drops the staged content once the
// last handle is gone and it is stored.
func (n *node) Release(ctx context.Context, f fs.FileHandle) syscall.Errno {
	var errno syscall.Errno
	if n.fsys.opts.SyncClose {
		errno = n.sync(context.WithoutCancel(ctx))
	}
	n.mu.Lock()
	n.opens--
	n.closeModeLocked(f)
	if n.stale && n.dirty && errno == 0 {
		errno = n.journalLocked(n.key())
	}
	n.scheduleLocked()
	n.dropStageLocked()
	unpin := n.unpinLocked()
	n.mu.Unlock()
	if unpin {
		n.ForgetPersistent()
	}
	return errno
}

// dropStageLocked removes the staged content of a clean, closed file.
func (n *node) dropStageLocked() {
	if n.opens == 0 && !n.dirty && n.st != nil && n.inflight == nil {
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
	errno := n.storeLocked(ctx)
	if errno == 0 {
		n.upErr = 0
	}
	return errno
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
	cn := &node{fsys: n.fsys, local: true, opens: 1, fetched: time.Now(), pinned: !n.fsys.opts.SyncClose}
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
	n.listed(name, false, false)
	// A new file stays in the tree until stored, even once the kernel
	// forgets it: it is listed from there (see writeBackOne).
	var in *fs.Inode
	if cn.pinned {
		in = n.NewPersistentInode(ctx, cn, fs.StableAttr{Mode: syscall.S_IFREG})
	} else {
		in = n.NewInode(ctx, cn, fs.StableAttr{Mode: syscall.S_IFREG})
	}
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
