package watch

import (
	"slices"
	"testing"
	"time"
)

// TestSettler checks, with a fake clock, that a path is due only after it
// has been quiet for the settle time, or when MaxDelay has passed since
// its first event.
func TestSettler(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	s := newSettler(100*time.Millisecond, 0)
	s.touch("a", at(0))
	s.touch("b", at(50))
	s.touch("a", at(90)) // a is still being written
	if got, next := s.due(at(120)); len(got) != 0 || !next.Equal(at(150)) {
		t.Fatalf("due(120) = %v, next %v; want nothing until 150", got, next)
	}
	if got, _ := s.due(at(150)); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("due(150) = %v, want [b]", got)
	}
	if got, next := s.due(at(190)); !slices.Equal(got, []string{"a"}) || !next.IsZero() {
		t.Fatalf("due(190) = %v, next %v; want [a] and nothing pending", got, next)
	}

	s = newSettler(100*time.Millisecond, 250*time.Millisecond)
	for ms := 0; ms <= 240; ms += 60 {
		s.touch("log", at(ms))
		if got, _ := s.due(at(ms)); len(got) != 0 {
			t.Fatalf("busy file reported at %dms", ms)
		}
	}
	if got, _ := s.due(at(250)); !slices.Equal(got, []string{"log"}) {
		t.Fatalf("MaxDelay did not report a file written without pause: %v", got)
	}
}
