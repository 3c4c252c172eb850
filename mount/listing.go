package mount

import (
	"context"
	"slices"
	"time"
)

// A directory's listing answers the lookups of its entries while it is
// younger than the metadata TTL: a name it lacks does not exist, and
// when the store's listing carries user metadata a file's attributes
// are in it. The mount's own changes in the directory (create, mkdir,
// symlink, unlink, rename, an upload) are applied to it in place, and a
// new directory starts with an empty one, so that a program filling a
// directory (tar x, cp -r) has its lookups of new names answered without
// a request each. Once stale, a listing of at most relistMax entries is
// made again, once, by the next lookup that needs it: ls -l of a large
// directory takes longer than the TTL, and one listing per TTL is
// cheaper than a request per entry. A listing is fresh for twice as long
// as it took to make when that is longer than the TTL.
const relistMax = 20_000

// fresh tells whether the listing still answers lookups: within the
// metadata TTL of when it was made, or for twice as long as it took to
// make when that is longer (a directory listed more slowly than the TTL
// would otherwise be listed again by every lookup).
func (l *listing) fresh(ttl time.Duration) bool {
	return time.Since(l.at) < max(ttl, 2*l.took)
}

// get returns entry name of the listing.
func (l *listing) get(name string) (listEntry, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, ok := l.entries[name]
	return e, ok
}

// size returns the number of entries.
func (l *listing) size() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.entries)
}

// put records entry name, made here.
func (l *listing) put(name string, e listEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[name] = e
}

// del removes entry name.
func (l *listing) del(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, name)
}

// listingNow returns the directory's listing, held or made again: nil
// when it holds none or one too large to make again.
func (n *node) listingNow(ctx context.Context) *listing {
	n.mu.Lock()
	l := n.list
	n.mu.Unlock()
	switch {
	case l == nil:
		return nil
	case l.fresh(n.fsys.opts.MetadataTTL):
		return l
	case l.size() > relistMax:
		return nil
	}
	n.listMu.Lock()
	defer n.listMu.Unlock()
	if l := n.freshListing(); l != nil {
		return l // made by a lookup that came first
	}
	l, err := n.relist(ctx)
	if err != nil {
		n.fsys.log.Warn("list directory", "prefix", n.dirKey(), "err", err)
		return nil
	}
	if !l.fresh(n.fsys.opts.MetadataTTL) {
		return nil // overtaken by a change made here: it cannot decide
	}
	return l
}

// relist lists the directory and makes that its listing. The changes
// the mount made in the directory while the store listed it (a file
// stored after the store listed the directory would be missing, one
// removed would still be there) are applied to it before it answers
// anyone, from the directory's listLog. A change it cannot replay (the
// directory's listing dropped, by a rename) leaves the new listing to
// answer the caller (a readdir, which adds the files held here) and
// nothing after.
func (n *node) relist(ctx context.Context) (*listing, error) {
	prefix := n.dirKey()
	n.mu.Lock()
	n.relists++
	from := len(n.listLog)
	n.mu.Unlock()
	l, err := n.fsys.list(ctx, prefix)
	if err == nil {
		l.prefix = prefix
		l.names = make([]string, 0, len(l.entries))
		for name := range l.entries {
			l.names = append(l.names, name)
		}
		slices.Sort(l.names)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	changes := n.listLog[from:]
	if n.relists--; n.relists == 0 {
		n.listLog = nil
	}
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		if c.all {
			l.at = time.Time{}
			return l, nil
		}
		c.apply(l)
	}
	n.setListingLocked(l)
	return l, nil
}

// listChange is one change made here to a directory's listing: entry
// name made (a directory, or a file whose attributes the store has to
// give) or, with gone, removed; all: the listing was dropped.
type listChange struct {
	name      string
	dir, gone bool
	all       bool
}

// apply makes the change in l.
func (c listChange) apply(l *listing) {
	if c.gone {
		l.del(c.name)
	} else {
		l.put(c.name, listEntry{dir: c.dir, local: !c.dir})
	}
}

// logListChangeLocked keeps c for the listings of the directory under
// way.
func (n *node) logListChangeLocked(c listChange) {
	if n.relists > 0 {
		n.listLog = append(n.listLog, c)
	}
}

// newEmptyListing gives a directory just made an empty listing.
func (n *node) newEmptyListing() {
	n.setListing(&listing{at: time.Now(), entries: map[string]listEntry{}, prefix: n.dirKey(), meta: true})
}

// listed applies a change made here to the directory's listing: entry
// name now exists (a directory, or a file whose attributes the store
// has to give), or, with gone, no longer does.
func (n *node) listed(name string, dir, gone bool) {
	c := listChange{name: name, dir: dir, gone: gone}
	n.mu.Lock()
	n.logListChangeLocked(c)
	l := n.list
	n.mu.Unlock()
	if l != nil {
		c.apply(l)
	}
}

// listedParent applies a change of the node itself to its directory's
// listing (see listed); a directory node is always listed as one.
func (n *node) listedParent(dir, gone bool) {
	if name, parent := n.Parent(); parent != nil {
		parent.Operations().(*node).listed(name, dir || n.isDirNode(), gone)
	}
}
