package mount

import (
	"context"
	"os"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// A directory's marker (the "dir/" object that keeps it while it is
// empty, with its mode, owner and mtime) is written back as a closed
// file's content is: mkdir, and chmod, chown or utimens of a directory,
// stage an empty marker and journal it with the directory's attributes,
// and return; the marker is stored in the background after
// Options.WriteBackDelay. The changes a program makes to a directory
// meanwhile (tar sets its mode, owner and times once it has filled it)
// are folded into that one upload instead of a request each, and none of
// them waits for the store. Until it is stored the directory is listed
// and stat'ed from the mount, its node kept in the tree; fsync of it or
// of a directory above it, FS.Sync and unmount store it, and a mount
// killed before it is stored stores it at its next start, as it does a
// file. With Options.SyncClose the marker is written before the call
// returns instead.

// newPendingDir returns a new directory node for entry name of n, with
// attributes a, its marker staged and to be stored in the background.
// Like a new file, it stays in the tree until stored.
func (n *node) newPendingDir(ctx context.Context, name string, a attrs, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	cn := &node{fsys: n.fsys, a: a, local: true, fetched: time.Now(), pinned: true}
	cn.mu.Lock()
	defer cn.mu.Unlock()
	if errno := cn.writeMarkerBackLocked(ctx, n.childKey(name)+"/"); errno != 0 {
		return nil, errno
	}
	cn.fillLocked(&out.Attr)
	return n.NewPersistentInode(ctx, cn, fs.StableAttr{Mode: syscall.S_IFDIR}), 0
}

// writeMarkerBackLocked stages the directory's marker, to be stored as
// key with the directory's attributes, journals it, and schedules its
// upload. The staged marker's mtime is the directory's, as a recovery
// stores it.
func (n *node) writeMarkerBackLocked(ctx context.Context, key string) syscall.Errno {
	if errno := n.stageLocked(ctx, true); errno != 0 {
		return errno
	}
	if err := os.Chtimes(n.st.f.Name(), time.Time{}, n.a.mtime); err != nil {
		n.fsys.log.Warn("set mtime of staged marker", "key", key, "err", err)
	}
	if errno := n.markDirtyLocked(key); errno != 0 {
		n.dropStageLocked()
		return errno
	}
	n.scheduleLocked()
	return 0
}

// setDirAttrsLocked makes a the attributes of a directory whose marker
// is stored (or that has none): they go up with its marker, written
// back, or at once with Options.SyncClose.
func (n *node) setDirAttrsLocked(ctx context.Context, a attrs) syscall.Errno {
	if n.fsys.opts.SyncClose {
		if err := n.fsys.putMarker(ctx, n.dirKey(), a); err != nil {
			n.fsys.log.Error("store attributes", "key", n.dirKey(), "err", err)
			return toErrno(err)
		}
		n.a = a
		n.fetched = time.Now()
		return 0
	}
	old := n.a
	n.a = a
	if errno := n.writeMarkerBackLocked(ctx, n.dirKey()); errno != 0 {
		n.a = old
		return errno
	}
	return 0
}

// isDirNode tells whether the kernel knows the node as a directory.
func (n *node) isDirNode() bool {
	return n.StableAttr().Mode&syscall.S_IFMT == syscall.S_IFDIR
}
