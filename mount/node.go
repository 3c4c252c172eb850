package mount

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/objstore"
)

// node is a file, directory or symlink of the mount. Its key is its path
// in the inode tree below Options.Prefix, so a rename moves it for free.
//
// Locking: a node's mu may be held while briefly taking its parent's,
// never the other way round.
type node struct {
	fs.Inode
	fsys *FS

	mu       sync.Mutex
	a        attrs
	fetched  time.Time // when a was read from the store
	st       *staged   // local content; nil while the file is clean and closed
	dirty    bool      // st holds content not stored yet
	stale    bool      // the journal record's mode or owner is older than a's (set while open; written at close)
	timed    bool      // the mtime was set through an open handle: the upload need not wait (see scheduleLocked)
	ed       *edits    // what of st differs from the stored version; nil when unknown
	seq      bool      // st was written in order from empty: strm may send it early
	strm     *stream   // the upload of st under way while it is written
	local    bool      // the object was never stored
	removed  bool      // unlinked while open
	opens    int
	io       ioModes    // how the kernel does the I/O of the open handles (passthrough.go)
	keepETag string     // the ETag whose content the kernel page cache holds
	target   string     // symlink target, once read
	list     *listing   // directories: the last listing
	listMu   sync.Mutex // directories: one listing made again at a time
	// relists counts the listings of the directory under way; listLog
	// holds the changes made here to its listing meanwhile, for each new
	// listing to apply on top of what the store listed (see relist).
	relists int
	listLog []listChange

	// Write-back (see writeback.go).
	gen      uint64                 // bumped by every change of the staged content or attributes
	inflight chan struct{}          // closed when the upload under way ends; nil when none
	queued   bool                   // a background upload is scheduled
	upErr    syscall.Errno          // the last background upload failed
	retries  int                    // background uploads failed in a row
	pinned   bool                   // a persistent inode, kept in the tree until stored
	jkey     atomic.Pointer[string] // the key the journal record names
}

var (
	_ fs.NodeGetattrer = (*node)(nil)
	_ fs.NodeSetattrer = (*node)(nil)
	_ fs.NodeStatfser  = (*node)(nil)
)

// relPath returns the node's path below the mount root; false when the
// node is no longer in the tree.
func (n *node) relPath() (string, bool) {
	var segs []string
	in := n.EmbeddedInode()
	for !in.IsRoot() {
		name, parent := in.Parent()
		if parent == nil {
			return "", false
		}
		segs = append(segs, name)
		in = parent
	}
	slices.Reverse(segs)
	return strings.Join(segs, "/"), true
}

// key returns the node's object key: a file's or symlink's, or a
// directory's marker ("dir/"). A node the tree no longer holds (the
// kernel forgot it after its close) with content not stored yet goes to
// the key its journal record names.
func (n *node) key() string {
	rel, ok := n.relPath()
	if k := n.jkey.Load(); !ok && k != nil {
		return *k
	}
	if rel != "" && n.isDirNode() {
		return n.fsys.opts.Prefix + rel + "/"
	}
	return n.fsys.opts.Prefix + rel
}

// dirKey returns the prefix of the keys below a directory node.
func (n *node) dirKey() string {
	rel, _ := n.relPath()
	if rel == "" {
		return n.fsys.opts.Prefix
	}
	return n.fsys.opts.Prefix + rel + "/"
}

// childKey returns the key of entry name of directory n.
func (n *node) childKey(name string) string { return n.dirKey() + name }

// fillLocked writes the node's attributes to out.
func (n *node) fillLocked(out *fuse.Attr) {
	a := n.a
	if n.st != nil {
		if size, err := n.st.size(); err == nil {
			a.size = size
		}
	}
	out.Mode = a.mode
	out.Size = uint64(a.size)
	out.Blocks = uint64(a.size+511) / 512
	out.Blksize = 1 << 20
	out.Uid, out.Gid = a.uid, a.gid
	out.Nlink = 1
	if a.isDir() {
		out.Nlink = 2
		out.Size = 4096
	}
	out.SetTimes(&a.mtime, &a.mtime, &a.mtime)
}

// Getattr reports the attributes, read again from the store once they
// are older than the metadata TTL.
func (n *node) Getattr(ctx context.Context, f fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	n.mu.Lock()
	defer n.mu.Unlock()
	if errno := n.refreshLocked(ctx); errno != 0 {
		return errno
	}
	n.fillLocked(&out.Attr)
	return 0
}

// refreshLocked reads the attributes again when they are stale and the
// store is where they live.
func (n *node) refreshLocked(ctx context.Context) syscall.Errno {
	if n.st != nil || n.local || n.removed || n.IsRoot() || time.Since(n.fetched) < n.fsys.opts.MetadataTTL {
		return 0
	}
	name, parent := n.Parent()
	if parent == nil {
		return 0
	}
	pn := parent.Operations().(*node)
	if a, ok := pn.aheadAttrs(ctx, name, n.fetched); ok {
		n.updateLocked(a)
		return 0
	}
	if a, ok := pn.listedAttrsNow(ctx, name); ok && !n.a.isDir() {
		n.updateLocked(a)
		return 0
	}
	if !n.a.isDir() {
		// A file is still a file while its object is there: one HEAD.
		a, err := n.fsys.fileAttrs(ctx, pn.childKey(name))
		if err == nil {
			n.updateLocked(a)
			return 0
		}
		if !errors.Is(err, objstore.ErrNoSuchKey) {
			return toErrno(err)
		}
	}
	a, err := pn.stat(ctx, name)
	if err != nil {
		return toErrno(err)
	}
	n.updateLocked(a)
	return 0
}

// updateLocked takes attributes read from the store, keeping the type
// the kernel knows the node by.
func (n *node) updateLocked(a attrs) {
	if a.etag != n.a.etag && !a.isDir() {
		n.fsys.invalidate(n.key())
		n.target = ""
	}
	a.mode = n.a.fileType() | a.mode&^syscall.S_IFMT
	n.a = a
	n.fetched = time.Now()
}

// Statfs reports large fixed numbers: object storage has no fixed size.
func (n *node) Statfs(ctx context.Context, out *fuse.StatfsOut) syscall.Errno {
	const bsize = 1 << 12
	out.Bsize = bsize
	out.Frsize = bsize
	out.Blocks = 1 << 50 / bsize
	out.Bfree = out.Blocks
	out.Bavail = out.Blocks
	out.Files = 1 << 32
	out.Ffree = out.Files
	out.NameLen = maxNameLen
	return 0
}
