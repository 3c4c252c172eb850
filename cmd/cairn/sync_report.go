package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/cairnfs/cairn/sync/engine"
)

// syncReporter shows what cairn sync does: a progress bar of the bytes of
// a pass on a terminal, a line per action otherwise.
type syncReporter struct {
	a    *app
	once bool

	mu      sync.Mutex
	bar     *progress
	actions int
	done    int
}

func newSyncReporter(a *app, once bool) *syncReporter {
	return &syncReporter{a: a, once: once, bar: &progress{}}
}

// Planned starts a bar for a pass that moves bytes.
func (r *syncReporter) Planned(actions int, bytes int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bar.clear()
	r.actions, r.done = actions, 0
	r.bar = newProgress(r.a, bytes)
	if r.bar.bar != nil {
		r.bar.bar.Describe(fmt.Sprintf("0/%d files", actions))
	}
}

// Moved advances the bar.
func (r *syncReporter) Moved(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bar.add(n)
}

// Done prints one line per action off a terminal, and failures always.
func (r *syncReporter) Done(act engine.Action, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	if r.bar.bar != nil {
		r.bar.bar.Describe(fmt.Sprintf("%d/%d files", r.done, r.actions))
	}
	switch {
	case err != nil:
		r.bar.println(r.a.stderr, fmt.Sprintf("cairn: %s: %v", act, err))
	case r.bar.bar == nil:
		fmt.Fprintf(r.a.stderr, "%s %s\n", time.Now().Format("15:04:05"), act)
	}
}

// passDone reports the end of a pass of a continuous sync.
func (r *syncReporter) passDone(s engine.Summary, err error) {
	r.finish()
	if err != nil {
		fmt.Fprintf(r.a.stderr, "cairn: sync pass failed, will retry: %v\n", err)
		return
	}
	if s.Uploaded+s.Downloaded+s.DeletedLocal+s.DeletedRemote+s.Renamed+s.Conflicts+s.Failed > 0 {
		fmt.Fprintf(r.a.stderr, "%s %s\n", time.Now().Format("15:04:05"), s)
	}
}

// finish removes the bar.
func (r *syncReporter) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar.bar != nil {
		r.bar.bar.Finish()
		r.bar.clear()
	}
	r.bar = &progress{}
}
