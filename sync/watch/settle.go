package watch

import "time"

// settler holds paths that had events until they have been quiet for the
// settle time, or pending for longer than the maximum delay.
type settler struct {
	settle   time.Duration
	maxDelay time.Duration // 0: no maximum
	pending  map[string]pendingPath
}

// pendingPath records when a path had its first and its latest event.
type pendingPath struct {
	first, last time.Time
}

func newSettler(settle, maxDelay time.Duration) *settler {
	return &settler{settle: settle, maxDelay: maxDelay, pending: map[string]pendingPath{}}
}

// touch records an event on rel at now.
func (s *settler) touch(rel string, now time.Time) {
	p, ok := s.pending[rel]
	if !ok {
		p.first = now
	}
	p.last = now
	s.pending[rel] = p
}

// deadline is when rel is reported if nothing else happens to it.
func (s *settler) deadline(p pendingPath) time.Time {
	d := p.last.Add(s.settle)
	if s.maxDelay > 0 {
		if m := p.first.Add(s.maxDelay); m.Before(d) {
			d = m
		}
	}
	return d
}

// next returns the earliest pending deadline (zero if nothing is
// pending).
func (s *settler) next() time.Time {
	var next time.Time
	for _, p := range s.pending {
		if d := s.deadline(p); next.IsZero() || d.Before(next) {
			next = d
		}
	}
	return next
}

// due removes and returns the paths whose deadline has passed at now, and
// the earliest deadline still ahead (zero if nothing is pending).
func (s *settler) due(now time.Time) (paths []string, next time.Time) {
	for rel, p := range s.pending {
		d := s.deadline(p)
		if !d.After(now) {
			paths = append(paths, rel)
			delete(s.pending, rel)
			continue
		}
		if next.IsZero() || d.Before(next) {
			next = d
		}
	}
	return paths, next
}
