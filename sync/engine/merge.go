package engine

import (
	"iter"

	"github.com/cairnfs/cairn/sync/state"
)

// cursor walks one sorted stream, holding its current item.
type cursor[T any] struct {
	next func() (T, error, bool)
	stop func()
	cur  T
	rel  string
	ok   bool
	name func(T) string
}

// newCursor starts a cursor over seq.
func newCursor[T any](seq iter.Seq2[T, error], name func(T) string) *cursor[T] {
	next, stop := iter.Pull2(seq)
	return &cursor[T]{next: next, stop: stop, name: name}
}

// advance moves to the next item; it returns the stream's error, if any.
func (c *cursor[T]) advance() error {
	v, err, ok := c.next()
	if err != nil {
		c.ok = false
		return err
	}
	c.cur, c.ok = v, ok
	if ok {
		c.rel = c.name(v)
	}
	return nil
}

// merge joins three streams sorted by path into entries, in path order.
// It stops at the first error of a stream.
func merge(locals iter.Seq2[*local, error], records iter.Seq2[state.Entry, error], remotes iter.Seq2[*remote, error]) iter.Seq2[entry, error] {
	return func(yield func(entry, error) bool) {
		l := newCursor(locals, func(v *local) string { return v.rel })
		s := newCursor(records, func(v state.Entry) string { return v.Rel })
		r := newCursor(remotes, func(v *remote) string { return v.rel })
		defer l.stop()
		defer s.stop()
		defer r.stop()
		for _, c := range []interface{ advance() error }{l, s, r} {
			if err := c.advance(); err != nil {
				yield(entry{}, err)
				return
			}
		}
		for l.ok || s.ok || r.ok {
			rel := smallest(l.ok, l.rel, s.ok, s.rel, r.ok, r.rel)
			e := entry{rel: rel}
			var err error
			if l.ok && l.rel == rel {
				e.l = l.cur
				err = l.advance()
			}
			if err == nil && s.ok && s.rel == rel {
				rec := s.cur.Record
				e.s = &rec
				err = s.advance()
			}
			if err == nil && r.ok && r.rel == rel {
				e.r = r.cur
				err = r.advance()
			}
			if err != nil {
				yield(entry{}, err)
				return
			}
			if !yield(e, nil) {
				return
			}
		}
	}
}

// smallest returns the least of the paths whose flag is set.
func smallest(aok bool, a string, bok bool, b string, cok bool, c string) string {
	var m string
	set := false
	for _, p := range []struct {
		ok  bool
		rel string
	}{{aok, a}, {bok, b}, {cok, c}} {
		if p.ok && (!set || p.rel < m) {
			m, set = p.rel, true
		}
	}
	return m
}
