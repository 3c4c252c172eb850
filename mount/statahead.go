package mount

import (
	"context"
	"sync/atomic"
	"time"
)

// A lookup needs a HEAD: a listing carries no user metadata. A program
// that stats the entries of a directory it listed (ls -l) looks them up
// one after the other. A statahead holds the attributes of a listing's
// entries: the first lookup of an entry makes its HEAD and starts the
// HEADs of the entries of its type (directory or not) after it in
// parallel, until one already read, so that the lookups that follow in
// order find their attributes read. Each entry is read at most once per
// statahead, whatever order the lookups come in.
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
	ctx     context.Context
	cancel  context.CancelFunc
	prefix  string
	entries []*aheadAttrs
	index   map[string]int
}

// aheadAttrs are the attributes of one entry, once done is closed. Whoever
// claims the entry reads them and closes done.
type aheadAttrs struct {
	name    string
	dir     bool
	claimed atomic.Bool
	done    chan struct{}
	a       attrs
	err     error
	at      time.Time // when the HEAD answered
}

// aheadState is what a statahead holds of one entry.
type aheadState int

const (
	aheadNone   aheadState = iota // nothing usable: failed, or older than the node's
	aheadFresh                    // attributes to use
	aheadStale                    // attributes older than the metadata TTL
	aheadAbsent                   // an entry it does not read
)

// newStatahead returns a statahead of the listing l of the directory whose
// keys start with prefix; it reads nothing until asked.
func newStatahead(prefix string, l *listing, opts Options) *statahead {
	names := l.names[:min(len(l.names), statAheadMax)]
	ctx, cancel := context.WithTimeout(context.Background(), statAheadFor)
	s := &statahead{ctx: ctx, cancel: cancel, prefix: prefix,
		entries: make([]*aheadAttrs, len(names)), index: make(map[string]int, len(names))}
	for i, name := range names {
		e, _ := l.get(name)
		s.entries[i] = &aheadAttrs{name: name, dir: e.dir, done: make(chan struct{})}
		s.index[name] = i
		if l.meta && !e.dir && !e.local {
			// The listing carries the attributes: nothing to read.
			a := s.entries[i]
			a.claimed.Store(true)
			a.a, a.at = attrsOf(e.info, false, opts), l.at
			close(a.done)
		}
	}
	return s
}

// readFrom reads, with up to statAheadWorkers HEADs at once, the entries
// of one type (directories, or not) from index i on, until it meets one
// already claimed. A walk of a tree (find) looks up the directories only,
// ls -l every entry: each reads ahead what it will look up next.
func (s *statahead) readFrom(f *FS, i int, dir bool) {
	var next atomic.Int64
	var stopped atomic.Bool
	next.Store(int64(i))
	for range min(statAheadWorkers, len(s.entries)-i) {
		go func() {
			for !stopped.Load() {
				k := next.Add(1) - 1
				if k >= int64(len(s.entries)) {
					return
				}
				e := s.entries[k]
				if e.dir != dir {
					continue
				}
				if !e.claimed.CompareAndSwap(false, true) {
					stopped.Store(true)
					return
				}
				f.readAhead(s.ctx, s.prefix+e.name, e)
			}
		}()
	}
}

// readAhead reads the attributes of the entry e below prefix into it and
// closes e.done; once ctx is done, it only closes it.
func (f *FS) readAhead(ctx context.Context, key string, e *aheadAttrs) {
	defer close(e.done)
	if e.err = ctx.Err(); e.err != nil {
		return
	}
	if e.dir {
		e.a, e.err = f.dirAttrs(ctx, key+"/")
	} else {
		e.a, e.err = f.fileAttrs(ctx, key)
	}
	e.at = time.Now()
}

// stop abandons the HEADs not made yet.
func (s *statahead) stop() {
	if s != nil {
		s.cancel()
	}
}

// get returns the attributes of name: read before, being read (it waits
// for them), or read now, with the entries after it started. They are
// fresh when read after since and within the metadata TTL.
func (s *statahead) get(ctx context.Context, f *FS, name string, since time.Time) (attrs, aheadState) {
	i, ok := s.index[name]
	if !ok {
		return attrs{}, aheadAbsent
	}
	e := s.entries[i]
	if e.claimed.CompareAndSwap(false, true) {
		s.readFrom(f, i+1, e.dir)
		f.readAhead(s.ctx, s.prefix+name, e)
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return attrs{}, aheadNone
	}
	switch {
	case e.err != nil || !e.at.After(since):
		return attrs{}, aheadNone
	case time.Since(e.at) >= f.opts.MetadataTTL:
		return attrs{}, aheadStale
	}
	return e.a, aheadFresh
}

// aheadAttrs returns the attributes of entry name of the directory's
// listing through its statahead, when they are newer than since and
// fresh. A listing older than the metadata TTL starts none; once the
// attributes read are stale, a new statahead reads them again (ls -l of
// a large directory stats its entries for longer than the TTL).
func (n *node) aheadAttrs(ctx context.Context, name string, since time.Time) (attrs, bool) {
	s := n.statahead(nil)
	if s == nil {
		return attrs{}, false
	}
	a, st := s.get(ctx, n.fsys, name, since)
	if st == aheadStale {
		if s = n.statahead(s); s != nil {
			a, st = s.get(ctx, n.fsys, name, since)
		}
	}
	return a, st == aheadFresh
}

// statahead returns the statahead of the directory's listing, creating
// one for a fresh listing that has none, or in place of stale (which the
// caller found stale) when that is the one in place.
func (n *node) statahead(stale *statahead) *statahead {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.list
	switch {
	case l == nil:
		return nil
	case stale != nil && l.ahead == stale:
	case l.ahead != nil:
		return l.ahead
	case !l.fresh(n.fsys.opts.MetadataTTL):
		return nil
	}
	stale.stop()
	l.ahead = newStatahead(l.prefix, l, n.fsys.opts)
	return l.ahead
}
