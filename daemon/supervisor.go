package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Restart backoff of a failing unit.
const (
	minBackoff = time.Second
	maxBackoff = time.Minute
)

// supervisor runs units, restarts the ones that fail, and applies config
// changes by unit name and content.
type supervisor struct {
	ctx context.Context
	env *env
	log *slog.Logger

	// applyMu lets one apply run at a time.
	applyMu sync.Mutex
	mu      sync.Mutex
	entries map[string]*entry
	order   []string
}

// entry is one unit and what the supervisor knows of it.
type entry struct {
	spec   spec
	u      unit
	cancel context.CancelFunc
	done   chan struct{}

	// Guarded by supervisor.mu.
	state    string
	since    time.Time
	lastErr  string
	restarts int
	// held keeps a unit stopped on request: StatePaused or StateUnmounted.
	held string
	// stopErr is what the unit's last stop failed with.
	stopErr error
	// settled is called once the unit first leaves StateStarting: it
	// came up, failed, or was stopped.
	settled func()
}

func newSupervisor(ctx context.Context, e *env) *supervisor {
	return &supervisor{ctx: ctx, env: e, log: e.log, entries: map[string]*entry{}}
}

// apply makes the running units those of specs: removed and changed
// units stop, then changed and added ones start; the rest keep running.
// The channel it returns is closed once each unit it started has come
// up, failed, or been stopped.
func (s *supervisor) apply(specs []spec) <-chan struct{} {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	want := map[string]spec{}
	for _, sp := range specs {
		want[sp.name] = sp
	}
	s.mu.Lock()
	var stop []*entry
	for name, e := range s.entries {
		if sp, ok := want[name]; !ok || sp.kind != e.spec.kind || sp.content != e.spec.content {
			stop = append(stop, e)
			delete(s.entries, name)
		}
	}
	s.mu.Unlock()
	s.stopAll(stop)
	var starting sync.WaitGroup
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order = s.order[:0]
	for _, sp := range specs {
		s.order = append(s.order, sp.name)
		if _, ok := s.entries[sp.name]; ok {
			continue
		}
		starting.Add(1)
		e := &entry{spec: sp, u: sp.build(s.env), settled: sync.OnceFunc(starting.Done)}
		s.entries[sp.name] = e
		s.start(e)
		s.log.Info("unit started", "kind", sp.kind, "name", sp.name)
	}
	settled := make(chan struct{})
	go func() { starting.Wait(); close(settled) }()
	return settled
}

// start runs e in the background; s.mu is held.
func (s *supervisor) start(e *entry) {
	ctx, cancel := context.WithCancel(s.ctx)
	e.cancel, e.done, e.held = cancel, make(chan struct{}), ""
	s.setState(e, StateStarting, "")
	go s.loop(ctx, e)
}

// loop runs the unit until ctx ends, restarting it after failures.
func (s *supervisor) loop(ctx context.Context, e *entry) {
	defer close(e.done)
	backoff := minBackoff
	for {
		started := time.Now()
		err := e.u.run(ctx, func() { s.locked(func() { s.setState(e, StateRunning, "") }) })
		if ctx.Err() != nil {
			if err != nil {
				s.log.Error("unit stopped with an error", "kind", e.spec.kind, "name", e.spec.name, "err", err)
				s.locked(func() { e.lastErr, e.stopErr = err.Error(), err })
			}
			break
		}
		if err == nil {
			err = errors.New("stopped by itself")
		}
		s.log.Error("unit failed; restarting", "kind", e.spec.kind, "name", e.spec.name, "err", err, "in", backoff)
		if time.Since(started) > maxBackoff {
			backoff = minBackoff
		}
		s.locked(func() { s.setState(e, StateFailed, err.Error()); e.restarts++ })
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		if ctx.Err() != nil {
			break
		}
		backoff = min(backoff*2, maxBackoff)
		s.locked(func() { s.setState(e, StateStarting, e.lastErr) })
	}
	s.locked(func() {
		if e.held != "" {
			s.setState(e, e.held, e.lastErr)
		} else {
			s.setState(e, StateStopped, e.lastErr)
		}
	})
}

func (s *supervisor) locked(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// setState records e's state; s.mu is held.
func (s *supervisor) setState(e *entry, state, lastErr string) {
	if e.state != state {
		e.since = time.Now()
	}
	e.state, e.lastErr = state, lastErr
	if state != StateStarting && e.settled != nil {
		e.settled()
	}
}

// stopAll stops entries, syncs first, then mounts, then servers; each
// group at once.
func (s *supervisor) stopAll(entries []*entry) {
	for _, kind := range []string{KindSync, KindMount, KindServer} {
		var wg sync.WaitGroup
		for _, e := range entries {
			if e.spec.kind == kind {
				wg.Go(func() { s.stop(e) })
			}
		}
		wg.Wait()
	}
}

// stop stops e and waits for it.
func (s *supervisor) stop(e *entry) {
	e.cancel()
	<-e.done
	s.log.Info("unit stopped", "kind", e.spec.kind, "name", e.spec.name)
}

// shutdown stops every unit.
func (s *supervisor) shutdown() {
	s.mu.Lock()
	all := make([]*entry, 0, len(s.entries))
	for _, e := range s.entries {
		all = append(all, e)
	}
	s.mu.Unlock()
	s.stopAll(all)
}

// hold stops the unit name of kind and keeps it stopped as state.
func (s *supervisor) hold(kind, name, state string) error {
	s.mu.Lock()
	e, ok := s.entries[name]
	if !ok || e.spec.kind != kind {
		s.mu.Unlock()
		return notFoundf("no %s named %q", kind, name)
	}
	e.held, e.stopErr = state, nil
	s.mu.Unlock()
	e.cancel()
	<-e.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return e.stopErr
}

// resume starts a unit held stopped.
func (s *supervisor) resume(kind, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[name]
	if !ok || e.spec.kind != kind {
		return notFoundf("no %s named %q", kind, name)
	}
	select {
	case <-e.done:
		s.start(e)
	default: // running already
	}
	return nil
}

// mountAt returns the name of the mount unit on dir.
func (s *supervisor) mountAt(dir string) (string, error) {
	dir = filepath.Clean(dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, e := range s.entries {
		if e.spec.kind == KindMount && e.spec.mountpoint == dir {
			return name, nil
		}
	}
	return "", notFoundf("no mount of the daemon is on %s", dir)
}

// units reports every unit, in config order.
func (s *supervisor) units() []UnitStatus {
	s.mu.Lock()
	out := make([]UnitStatus, 0, len(s.order))
	var units []unit
	for _, name := range s.order {
		e, ok := s.entries[name]
		if !ok {
			continue
		}
		out = append(out, UnitStatus{Kind: e.spec.kind, Name: name, State: e.state, Where: e.spec.where,
			Since: e.since, Restarts: e.restarts, LastError: e.lastErr})
		units = append(units, e.u)
	}
	s.mu.Unlock()
	for i, u := range units {
		u.fill(&out[i])
	}
	return out
}

// each calls fn with every unit.
func (s *supervisor) each(fn func(name string, u unit)) {
	s.mu.Lock()
	names := slices.Clone(s.order)
	us := make([]unit, 0, len(names))
	for _, n := range names {
		if e, ok := s.entries[n]; ok {
			us = append(us, e.u)
		} else {
			us = append(us, nil)
		}
	}
	s.mu.Unlock()
	for i, u := range us {
		if u != nil {
			fn(names[i], u)
		}
	}
}

// ErrNotFound reports a unit the daemon does not run.
var ErrNotFound = errors.New("not found")

// notFoundError names what was not found, and is ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

func notFoundf(format string, args ...any) error {
	return &notFoundError{fmt.Sprintf(format, args...)}
}
