package mount

import (
	"context"
	"errors"
	"strings"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/objstore"
)

var (
	_ fs.NodeMkdirer   = (*node)(nil)
	_ fs.NodeUnlinker  = (*node)(nil)
	_ fs.NodeRmdirer   = (*node)(nil)
	_ fs.NodeSymlinker = (*node)(nil)
	_ fs.NodeLinker    = (*node)(nil)
	_ fs.NodeMknoder   = (*node)(nil)
)

// Mkdir makes a directory with a marker, so that it persists while
// empty; the marker is written back (see dirback.go), or stored before
// Mkdir returns with Options.SyncClose.
func (n *node) Mkdir(ctx context.Context, name string, mode uint32, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if n.fsys.opts.ReadOnly {
		return nil, syscall.EROFS
	}
	if !validName(name) {
		return nil, syscall.EINVAL
	}
	a := n.fsys.newAttrs(ctx, syscall.S_IFDIR|mode&0o7777)
	var in *fs.Inode
	if n.fsys.opts.SyncClose {
		if err := n.fsys.putMarker(ctx, n.childKey(name)+"/", a); err != nil {
			return nil, toErrno(err)
		}
		in = n.attach(ctx, name, a, out)
	} else {
		var errno syscall.Errno
		if in, errno = n.newPendingDir(ctx, name, a, out); errno != 0 {
			return nil, errno
		}
	}
	n.listed(name, true, false)
	in.Operations().(*node).newEmptyListing()
	return in, 0
}

// Symlink stores a symlink as s3fs does: an object of mode S_IFLNK whose
// body is the target.
func (n *node) Symlink(ctx context.Context, target, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if n.fsys.opts.ReadOnly {
		return nil, syscall.EROFS
	}
	if !validName(name) {
		return nil, syscall.EINVAL
	}
	a := n.fsys.newAttrs(ctx, syscall.S_IFLNK|0o777)
	po := objstore.PutOptions{Size: int64(len(target)), ObjectMeta: objstore.ObjectMeta{ContentType: "application/octet-stream", UserMetadata: a.userMetadata()}}
	info, err := n.fsys.store.PutObject(ctx, n.fsys.opts.Bucket, n.childKey(name), strings.NewReader(target), po)
	if err != nil {
		return nil, toErrno(err)
	}
	a.size, a.etag = info.Size, info.ETag
	n.listed(name, false, false)
	in := n.attach(ctx, name, a, out)
	cn := in.Operations().(*node)
	cn.mu.Lock()
	cn.target = target
	cn.mu.Unlock()
	return in, 0
}

// Unlink deletes a file or symlink. A file open elsewhere keeps its
// staged content until closed but is no longer stored; an upload of it
// under way is waited for and then deleted, one scheduled is dropped.
func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	if n.fsys.opts.ReadOnly {
		return syscall.EROFS
	}
	key := n.childKey(name)
	if errno := n.fsys.settleKey(ctx, key); errno != 0 {
		return errno
	}
	var err error
	if ch := n.GetChild(name); ch != nil {
		err = ch.Operations().(*node).unlink(ctx, key)
	} else {
		_, err = n.fsys.store.DeleteObject(ctx, n.fsys.opts.Bucket, key, objstore.DeleteOptions{})
	}
	if err != nil {
		return toErrno(err)
	}
	n.fsys.invalidate(key)
	n.listed(name, false, true)
	return 0
}

// unlink deletes the node's object as key (unless it was never stored)
// once no upload of it is under way, and forgets it. A directory's
// marker may be missing: a directory need not have one.
func (n *node) unlink(ctx context.Context, key string) error {
	n.mu.Lock()
	n.waitUploadLocked()
	if !n.local || n.removed {
		_, err := n.fsys.store.DeleteObject(ctx, n.fsys.opts.Bucket, key, objstore.DeleteOptions{})
		if err != nil && !(n.a.isDir() && errors.Is(err, objstore.ErrNoSuchKey)) {
			n.mu.Unlock()
			return err
		}
	}
	unpin := n.forgetLocked()
	n.mu.Unlock()
	if unpin {
		n.ForgetPersistent()
	}
	return nil
}

// forget marks a node removed and drops its journal record: nothing of
// it is to be stored any more. An upload of it under way is waited for.
func (n *node) forget() {
	n.mu.Lock()
	n.waitUploadLocked()
	unpin := n.forgetLocked()
	n.mu.Unlock()
	if unpin {
		n.ForgetPersistent()
	}
}

// forgetLocked marks the node removed; it reports whether its inode is
// to be let go of (see unpinLocked).
func (n *node) forgetLocked() bool {
	n.removed = true
	n.dropStream()
	if n.dirty {
		n.st.settle()
		n.dirty = false
		n.fsys.setDirty(n, n.pendingKey(), false)
	}
	n.dropStageLocked()
	return n.unpinLocked()
}

// unpinLocked reports, once, whether a persistent inode is to be let go
// of: its content is stored (or no longer to be) and no handle has it
// open. The caller calls ForgetPersistent without the lock.
func (n *node) unpinLocked() bool {
	if !n.pinned || n.dirty || n.opens > 0 {
		return false
	}
	n.pinned = false
	return true
}

// Rmdir deletes an empty directory's marker, or drops it while it is
// still to be stored; ENOTEMPTY when anything is stored or staged below
// it.
func (n *node) Rmdir(ctx context.Context, name string) syscall.Errno {
	if n.fsys.opts.ReadOnly {
		return syscall.EROFS
	}
	prefix := n.childKey(name) + "/"
	page, err := n.fsys.store.ListObjects(ctx, n.fsys.opts.Bucket, objstore.ListOptions{Prefix: prefix, MaxKeys: 2})
	if err != nil {
		return toErrno(err)
	}
	for _, o := range page.Objects {
		if o.Key != prefix {
			return syscall.ENOTEMPTY
		}
	}
	ch := n.GetChild(name)
	if ch != nil {
		for _, c := range ch.Children() {
			if c.Operations().(*node).isLocal() {
				return syscall.ENOTEMPTY
			}
		}
		err = ch.Operations().(*node).unlink(ctx, prefix)
	} else {
		_, err = n.fsys.store.DeleteObject(ctx, n.fsys.opts.Bucket, prefix, objstore.DeleteOptions{})
		if errors.Is(err, objstore.ErrNoSuchKey) {
			err = nil
		}
	}
	if err != nil {
		return toErrno(err)
	}
	n.listed(name, true, true)
	return 0
}

// Link answers ENOTSUP: objects cannot share content under two keys.
func (n *node) Link(ctx context.Context, target fs.InodeEmbedder, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return nil, syscall.ENOTSUP
}

// Mknod answers ENOTSUP: devices, FIFOs and sockets are not stored.
func (n *node) Mknod(ctx context.Context, name string, mode uint32, dev uint32, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return nil, syscall.ENOTSUP
}

// Getxattr answers ENOSYS: no extended attributes are stored, and the
// kernel then answers every later getxattr itself (EOPNOTSUPP) instead
// of asking the mount once per file, as ls -l does twice for each.
func (n *node) Getxattr(ctx context.Context, attr string, dest []byte) (uint32, syscall.Errno) {
	return 0, syscall.ENOSYS
}

// Setxattr answers ENOTSUP.
func (n *node) Setxattr(ctx context.Context, attr string, data []byte, flags uint32) syscall.Errno {
	return syscall.ENOTSUP
}

// Removexattr answers ENOTSUP.
func (n *node) Removexattr(ctx context.Context, attr string) syscall.Errno {
	return syscall.ENOTSUP
}

// Listxattr lists no extended attributes.
func (n *node) Listxattr(ctx context.Context, dest []byte) (uint32, syscall.Errno) {
	return 0, 0
}
