package mount

import (
	"context"
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
}

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
	s := &statahead{cancel: cancel, byName: make(map[string]*aheadAttrs, len(names))}
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
// if it is under way, when they were read after since and within the
// metadata TTL. false sends the caller to the store.
func (s *statahead) get(ctx context.Context, name string, since time.Time, ttl time.Duration) (attrs, bool) {
	if s == nil {
		return attrs{}, false
	}
	r, ok := s.byName[name]
	if !ok {
		return attrs{}, false
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return attrs{}, false
	}
	if r.err != nil || !r.at.After(since) || time.Since(r.at) >= ttl {
		return attrs{}, false
	}
	return r.a, true
}

// aheadAttrs returns the attributes of entry name read ahead by the
// directory's last Readdir, when they are newer than since and fresh.
func (n *node) aheadAttrs(ctx context.Context, name string, since time.Time) (attrs, bool) {
	n.mu.Lock()
	var s *statahead
	if n.list != nil {
		s = n.list.ahead
	}
	n.mu.Unlock()
	return s.get(ctx, name, since, n.fsys.opts.MetadataTTL)
}
