package mount

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The kernel follows every readdir with a lookup of each entry
// (READDIRPLUS), and a lookup needs a HEAD: the listing carries no user
// metadata. A statahead issues those HEADs in parallel as soon as the
// listing is in, in the order the lookups come, so that each lookup finds
// its attributes read.
const (
	// statAheadWorkers is how many HEADs of one directory run at once.
	statAheadWorkers = 32
	// statAheadMax is how many entries of one listing are read ahead;
	// lookups of the others make their own HEAD.
	statAheadMax = 100_000
	// statAheadFor bounds the life of a statahead.
	statAheadFor = time.Minute
)

// statahead reads the attributes of a listing's entries ahead of their
// lookups.
type statahead struct {
	cancel context.CancelFunc
	byName map[string]*aheadAttrs
	// prefix and names (sorted) are what it reads, so that it can start
	// again from one of them.
	prefix string
	names  []string
}

// aheadState is what a statahead holds of one entry.
type aheadState int

const (
	aheadNone  aheadState = iota // nothing usable: not read ahead, failed, or older than the node's
	aheadFresh                   // attributes to use
	aheadStale                   // attributes older than the metadata TTL
)

// aheadAttrs are the attributes of one entry, once done is closed.
type aheadAttrs struct {
	done chan struct{}
	a    attrs
	err  error
	at   time.Time // when the HEAD answered
}

// startStatahead reads the attributes of the entries names (sorted, as
// Readdir returns them) of the listing l of the directory whose keys start
// with prefix.
func (f *FS) startStatahead(prefix string, l *listing, names []string) *statahead {
	names = names[:min(len(names), statAheadMax)]
	ctx, cancel := context.WithTimeout(context.Background(), statAheadFor)
	s := &statahead{cancel: cancel, byName: make(map[string]*aheadAttrs, len(names)), prefix: prefix, names: names}
	for _, name := range names {
		s.byName[name] = &aheadAttrs{done: make(chan struct{})}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(statAheadWorkers, len(names)) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(names)); i = next.Add(1) - 1 {
				name := names[i]
				f.readAhead(ctx, prefix+name, l.entries[name].dir, s.byName[name])
			}
		})
	}
	go func() { wg.Wait(); cancel() }()
	return s
}

// readAhead reads the attributes of key (a directory's prefix without its
// slash when dir) into r and closes r.done; once ctx is done, it only
// closes it.
func (f *FS) readAhead(ctx context.Context, key string, dir bool, r *aheadAttrs) {
	defer close(r.done)
	if r.err = ctx.Err(); r.err != nil {
		return
	}
	if dir {
		r.a, r.err = f.dirAttrs(ctx, key+"/")
	} else {
		r.a, r.err = f.fileAttrs(ctx, key)
	}
	r.at = time.Now()
}

// stop abandons the HEADs not yet made.
func (s *statahead) stop() {
	if s != nil {
		s.cancel()
	}
}

// get returns the attributes read ahead for name, waiting for their HEAD
// if it is under way: fresh when they were read after since and within
// the metadata TTL.
func (s *statahead) get(ctx context.Context, name string, since time.Time, ttl time.Duration) (attrs, aheadState) {
	if s == nil {
		return attrs{}, aheadNone
	}
	r, ok := s.byName[name]
	if !ok {
		return attrs{}, aheadNone
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return attrs{}, aheadNone
	}
	switch {
	case r.err != nil || !r.at.After(since):
		return attrs{}, aheadNone
	case time.Since(r.at) >= ttl:
		return attrs{}, aheadStale
	}
	return r.a, aheadFresh
}

// aheadAttrs returns the attributes of entry name read ahead by the
// directory's last Readdir, when they are newer than since and fresh.
// Once they are stale, it starts reading again from name on: the entries
// of a listing are looked at again in turn (ls -l stats every entry after
// its readdir, which in a large directory outlasts the TTL).
func (n *node) aheadAttrs(ctx context.Context, name string, since time.Time) (attrs, bool) {
	n.mu.Lock()
	var s *statahead
	if n.list != nil {
		s = n.list.ahead
	}
	n.mu.Unlock()
	a, st := s.get(ctx, name, since, n.fsys.opts.MetadataTTL)
	if st == aheadStale {
		n.restartAhead(s, name)
	}
	return a, st == aheadFresh
}

// restartAhead replaces the directory's statahead old, unless another
// replaced it already, with one that reads its entries again from name.
func (n *node) restartAhead(old *statahead, name string) {
	n.mu.Lock()
	l := n.list
	if l == nil || l.ahead != old {
		n.mu.Unlock()
		return
	}
	i, _ := slices.BinarySearch(old.names, name)
	l.ahead = n.fsys.startStatahead(old.prefix, l, old.names[i:])
	n.mu.Unlock()
	old.stop()
}
