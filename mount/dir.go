package mount

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

var (
	_ fs.NodeLookuper  = (*node)(nil)
	_ fs.NodeReaddirer = (*node)(nil)
)

// listing is what one delimited listing of a directory found.
type listing struct {
	at      time.Time
	entries map[string]listEntry
	// prefix is the directory's, names its entries in order.
	prefix string
	names  []string
	// ahead reads the entries' attributes for the lookups that follow,
	// from the first of them on; nil until then.
	ahead *statahead
	// meta tells that the objects' infos carry their user metadata
	// (objstore.ListOptions.WithMetadata): their attributes need no HEAD.
	meta bool
	// took is how long the listing took to make.
	took time.Duration
	// mu guards entries once the listing is a directory's: the mount's
	// own changes are applied to it (see listing.go).
	mu sync.RWMutex
}

// listEntry is one name of a listing: a directory (a common prefix) or
// an object.
type listEntry struct {
	dir  bool
	info objstore.ObjectInfo
	// local: a file made or stored here since the listing; its info is
	// not known.
	local bool
}

// list lists the directory whose keys start with prefix, skipping (and
// reporting) keys that cannot be names. A name that is both an object
// and a prefix is the directory.
func (f *FS) list(ctx context.Context, prefix string) (*listing, error) {
	start := time.Now()
	l := &listing{entries: map[string]listEntry{}, meta: true}
	opts := objstore.ListOptions{Prefix: prefix, Delimiter: "/", WithMetadata: true}
	for page, err := range transfer.ObjectPages(ctx, f.store, f.opts.Bucket, opts) {
		if err != nil {
			return nil, err
		}
		l.meta = l.meta && (page.WithMetadata || len(page.Objects) == 0)
		for _, o := range page.Objects {
			name := o.Key[len(prefix):]
			switch {
			case name == "":
				// the directory's own marker
			case !validName(name):
				f.warnSkipped(o.Key)
			case !l.entries[name].dir:
				l.entries[name] = listEntry{info: o}
			}
		}
		for _, p := range page.CommonPrefixes {
			name := strings.TrimSuffix(p[len(prefix):], "/")
			if !validName(name) {
				f.warnSkipped(p)
				continue
			}
			l.entries[name] = listEntry{dir: true}
		}
	}
	l.at = time.Now()
	l.took = l.at.Sub(start)
	return l, nil
}

// freshListing returns the directory's listing while it is younger than
// the metadata TTL.
func (n *node) freshListing() *listing {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.list == nil || !n.list.fresh(n.fsys.opts.MetadataTTL) {
		return nil
	}
	return n.list
}

// forgetListing drops the directory's listing after a change in it.
func (n *node) forgetListing() {
	n.setListing(nil)
}

// setListing makes l the directory's listing after a change made here
// (see relist).
func (n *node) setListing(l *listing) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.logListChangeLocked(listChange{all: true})
	n.setListingLocked(l)
}

// setListingLocked makes l the directory's listing, abandoning what the
// one it replaces still had to read ahead.
func (n *node) setListingLocked(l *listing) {
	if n.list != nil {
		n.list.ahead.stop()
	}
	n.list = l
}

// stat finds the attributes of entry name of directory n: from its
// listing when that decides (see listing.go), else from the store.
func (n *node) stat(ctx context.Context, name string) (attrs, error) {
	key := n.childKey(name)
	if l := n.listingNow(ctx); l != nil {
		e, ok := l.get(name)
		switch {
		case !ok:
			return attrs{}, fmt.Errorf("stat %s: %w", key, syscall.ENOENT)
		case e.dir:
			return n.fsys.dirAttrs(ctx, key+"/")
		case e.local:
			return n.fsys.fileAttrs(ctx, key)
		case l.meta:
			return attrsOf(e.info, false, n.fsys.opts), nil
		}
		return n.fsys.fileAttrs(ctx, key)
	}
	if a, found, err := n.statListed(ctx, key); found || err != nil {
		return a, err
	}
	page, err := n.fsys.store.ListObjects(ctx, n.fsys.opts.Bucket, objstore.ListOptions{Prefix: key + "/", MaxKeys: 1})
	if err != nil {
		return attrs{}, fmt.Errorf("stat %s: %w", key, err)
	}
	if len(page.Objects) > 0 || len(page.CommonPrefixes) > 0 {
		return n.fsys.dirAttrs(ctx, key+"/")
	}
	return n.fsys.fileAttrs(ctx, key)
}

// statNames bounds the listing statListed makes: the names that start
// with the entry's, in order, come before the entry's own directory
// prefix only when they continue it with a byte below "/".
const statNames = 100

// statListed finds entry key with one delimited listing of the keys that
// start with it: the object key itself and the prefix key/ come first.
// It answers (found) when that listing decides: a directory or a file
// (then with a HEAD for its attributes), or no such entry, without a
// second request. A listing cut short without either leaves it to the
// caller.
func (n *node) statListed(ctx context.Context, key string) (attrs, bool, error) {
	page, err := n.fsys.store.ListObjects(ctx, n.fsys.opts.Bucket, objstore.ListOptions{Prefix: key, Delimiter: "/", MaxKeys: statNames})
	if err != nil {
		return attrs{}, true, fmt.Errorf("stat %s: %w", key, err)
	}
	if slices.Contains(page.CommonPrefixes, key+"/") {
		a, err := n.fsys.dirAttrs(ctx, key+"/")
		return a, true, err
	}
	for _, o := range page.Objects {
		if o.Key == key {
			// The listing has no user metadata, which a copy elsewhere
			// may have changed under the same ETag.
			a, err := n.fsys.fileAttrs(ctx, key)
			return a, true, err
		}
	}
	if page.IsTruncated {
		return attrs{}, false, nil
	}
	return attrs{}, true, fmt.Errorf("stat %s: %w", key, syscall.ENOENT)
}

// fileAttrs reads the attributes of the object key.
func (f *FS) fileAttrs(ctx context.Context, key string) (attrs, error) {
	info, err := f.store.HeadObject(ctx, f.opts.Bucket, key, objstore.GetOptions{})
	if err != nil {
		return attrs{}, fmt.Errorf("head %s: %w", key, err)
	}
	return attrsOf(info, false, f.opts), nil
}

// dirAttrs reads the attributes of the directory whose keys start with
// prefix: its marker's, or the defaults when it has none.
func (f *FS) dirAttrs(ctx context.Context, prefix string) (attrs, error) {
	info, err := f.store.HeadObject(ctx, f.opts.Bucket, prefix, objstore.GetOptions{})
	if errors.Is(err, objstore.ErrNoSuchKey) {
		info, err = objstore.ObjectInfo{LastModified: f.start}, nil
	}
	if err != nil {
		return attrs{}, fmt.Errorf("head %s: %w", prefix, err)
	}
	a := attrsOf(info, true, f.opts)
	a.size, a.etag = 0, ""
	return a, nil
}

// Lookup finds entry name: a node the mount already holds content of,
// else what the store has.
func (n *node) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if !validName(name) {
		return nil, syscall.ENOENT
	}
	if errno := n.fsys.settleKey(ctx, n.childKey(name)); errno != 0 {
		return nil, errno
	}
	var since time.Time
	if ch := n.GetChild(name); ch != nil {
		cn := ch.Operations().(*node)
		if cn.lookupHeld(out) {
			return ch, 0
		}
		_, since = cn.attrsFetched()
	}
	if a, ok := n.aheadAttrs(ctx, name, since); ok {
		return n.attach(ctx, name, a, out), 0
	}
	a, err := n.stat(ctx, name)
	if err != nil {
		return nil, toErrno(err)
	}
	return n.attach(ctx, name, a, out), 0
}

// attach returns the child node name with attributes a: the one the
// tree holds when its type matches, else a new one.
func (n *node) attach(ctx context.Context, name string, a attrs, out *fuse.EntryOut) *fs.Inode {
	if ch := n.GetChild(name); ch != nil {
		cn := ch.Operations().(*node)
		cn.mu.Lock()
		defer cn.mu.Unlock()
		if cn.a.fileType() == a.fileType() {
			if cn.st == nil && !cn.local {
				cn.updateLocked(a)
			}
			cn.fillLocked(&out.Attr)
			return ch
		}
	}
	cn := &node{fsys: n.fsys, a: a, fetched: time.Now()}
	cn.fillLocked(&out.Attr)
	return n.NewInode(ctx, cn, fs.StableAttr{Mode: a.fileType()})
}

// Readdir lists the directory: what the store holds below it, and files
// created here and not stored yet.
func (n *node) Readdir(ctx context.Context) (fs.DirStream, syscall.Errno) {
	// The files held only here are taken before listing the store: one
	// whose upload lands while the listing is made may be missing from
	// it, and is no longer local after it.
	local := n.localChildren()
	l, err := n.relist(ctx)
	if err != nil {
		return nil, toErrno(err)
	}
	l.mu.RLock()
	entries := make([]fuse.DirEntry, 0, len(l.entries))
	for name, e := range l.entries {
		mode := uint32(syscall.S_IFREG)
		if e.dir {
			mode = syscall.S_IFDIR
		}
		entries = append(entries, fuse.DirEntry{Name: name, Mode: mode})
	}
	l.mu.RUnlock()
	for i, e := range entries {
		if ch := n.GetChild(e.Name); ch != nil && e.Mode != syscall.S_IFDIR {
			entries[i].Mode = ch.StableAttr().Mode
		}
	}
	for name, mode := range local {
		if _, ok := l.get(name); !ok {
			entries = append(entries, fuse.DirEntry{Name: name, Mode: mode})
		}
	}
	slices.SortFunc(entries, func(a, b fuse.DirEntry) int { return strings.Compare(a.Name, b.Name) })
	return fs.NewListDirStream(entries), 0
}

// localChildren returns the mode of each child that exists only here so
// far, by name.
func (n *node) localChildren() map[string]uint32 {
	local := map[string]uint32{}
	for name, ch := range n.Children() {
		if ch.Operations().(*node).isLocal() {
			local[name] = ch.StableAttr().Mode
		}
	}
	return local
}

// isLocal tells whether the node exists only here so far.
func (n *node) isLocal() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.local && !n.removed
}

// lookupHeld fills out and reports true when the node's attributes need
// no store call: it holds local content or read them within the TTL.
func (n *node) lookupHeld(out *fuse.EntryOut) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.local || n.st != nil || time.Since(n.fetched) < n.fsys.opts.MetadataTTL {
		n.fillLocked(&out.Attr)
		return true
	}
	return false
}

// attrsCopy returns a copy of the node's attributes.
func (n *node) attrsCopy() *attrs {
	a, _ := n.attrsFetched()
	return a
}

// attrsFetched returns a copy of the node's attributes and when they were
// read from the store.
func (n *node) attrsFetched() (*attrs, time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	a := n.a
	return &a, n.fetched
}
