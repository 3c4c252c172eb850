package mount

import (
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

var _ fs.NodeOpendirHandler = (*node)(nil)

// dirHandle is an open directory. The kernel reads it with READDIRPLUS,
// which asks for each entry's attributes along with its name. A store
// whose listings carry user metadata (objstore.ListOptions.WithMetadata:
// the embedded store, cairn serve) gives the files' attributes with the
// listing itself. On plain S3 they cost a HEAD per object: there the
// handle answers those lookups only for entries whose attributes the
// mount holds and fresh, and leaves the others to a LOOKUP when something
// stats them: a find over a tree, or a plain ls, lists without a HEAD per
// file, and ls -l's stats find the HEADs made in parallel ahead of them.
type dirHandle struct {
	n  *node
	ds fs.DirStream
}

var (
	_ fs.FileReaddirenter = (*dirHandle)(nil)
	_ fs.FileSeekdirer    = (*dirHandle)(nil)
	_ fs.FileReleasedirer = (*dirHandle)(nil)
	_ fs.FileLookuper     = (*dirHandle)(nil)
)

// OpendirHandle opens the directory; it is listed on the first read.
func (n *node) OpendirHandle(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	return &dirHandle{n: n}, 0, 0
}

// stream lists the directory the first time it is needed.
func (d *dirHandle) stream(ctx context.Context) syscall.Errno {
	if d.ds != nil {
		return 0
	}
	ds, errno := d.n.Readdir(ctx)
	if errno == 0 {
		d.ds = ds
	}
	return errno
}

// Readdirent returns the next entry, or nil at the end.
func (d *dirHandle) Readdirent(ctx context.Context) (*fuse.DirEntry, syscall.Errno) {
	if errno := d.stream(ctx); errno != 0 {
		return nil, errno
	}
	if !d.ds.HasNext() {
		return nil, 0
	}
	e, errno := d.ds.Next()
	return &e, errno
}

// Seekdir moves to offset off of the listing (0: its start).
func (d *dirHandle) Seekdir(ctx context.Context, off uint64) syscall.Errno {
	if errno := d.stream(ctx); errno != 0 {
		return errno
	}
	if sd, ok := d.ds.(fs.FileSeekdirer); ok {
		return sd.Seekdir(ctx, off)
	}
	return syscall.ENOTSUP
}

// Releasedir closes the listing.
func (d *dirHandle) Releasedir(ctx context.Context, releaseFlags uint32) {
	if d.ds != nil {
		d.ds.Close()
	}
}

// Lookup answers READDIRPLUS for an entry the mount holds fresh
// attributes of; for any other it declines (an error here only leaves
// the entry without attributes, which the kernel looks up when needed).
func (d *dirHandle) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if ch := d.n.GetChild(name); ch != nil && ch.Operations().(*node).lookupHeld(out) {
		return ch, 0
	}
	if a, ok := d.n.listedAttrs(name); ok {
		return d.n.attach(ctx, name, a, out), 0
	}
	return nil, syscall.EAGAIN
}

// listedAttrs returns the attributes of file name from the directory's
// fresh listing, when it carries the objects' metadata.
func (n *node) listedAttrs(name string) (attrs, bool) {
	return n.attrsIn(n.freshListing(), name)
}

// listedAttrsNow is listedAttrs from the directory's listing made again
// when stale (see listingNow).
func (n *node) listedAttrsNow(ctx context.Context, name string) (attrs, bool) {
	return n.attrsIn(n.listingNow(ctx), name)
}

// attrsIn returns the attributes of file name from l, when it carries
// the objects' metadata.
func (n *node) attrsIn(l *listing, name string) (attrs, bool) {
	if l == nil || !l.meta {
		return attrs{}, false
	}
	e, ok := l.get(name)
	if !ok || e.dir || e.local {
		return attrs{}, false
	}
	return attrsOf(e.info, false, n.fsys.opts), true
}

var _ fs.FileFsyncdirer = (*dirHandle)(nil)

// Fsyncdir stores every file below the directory with content not
// stored yet, waiting for the uploads under way: fsync of the mount's
// root (as cairn unmount does, or sync(1) naming it) stores everything
// written through the mount.
func (d *dirHandle) Fsyncdir(ctx context.Context, flags uint32) syscall.Errno {
	return d.n.fsys.syncBelow(context.WithoutCancel(ctx), d.n.dirKey())
}
