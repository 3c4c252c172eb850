package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"time"

	"github.com/cairnfs/cairn/sync/watch"
)

// maxBackoff bounds the pause before retrying a pass that failed.
const maxBackoff = time.Minute

// Run keeps the pair in step until ctx ends: a whole-folder pass first,
// then a pass over the paths a recursive watcher reports, a whole-folder
// pass every Options.Interval (and whenever Options.RemoteChanged fires)
// to pick up remote changes, and retries of what failed or was still
// being written. It returns nil when ctx ends; a failing pass is logged
// and retried with backoff, never fatal. Each pass's summary goes to done.
func (e *Engine) Run(ctx context.Context, done func(Summary, error)) error {
	w, err := watch.New(e.root, watch.Options{Ignore: e.skipped, Settle: e.opts.Settle, Logger: e.opts.Logger})
	if err != nil {
		return fmt.Errorf("watch %s: %w", e.root, err)
	}
	defer w.Close()
	l := loop{e: e, w: w, full: true, paths: map[string]bool{}, backoff: e.opts.Settle}
	ticker := time.NewTicker(e.opts.Interval)
	defer ticker.Stop()
	retry := time.NewTimer(0)
	defer retry.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case b, ok := <-w.Events():
			if !ok {
				return errors.New("the folder watcher stopped")
			}
			l.note(b)
			retry.Reset(0)
		case <-ticker.C:
			l.full = true
			retry.Reset(0)
		case <-e.opts.RemoteChanged:
			l.full = true
			retry.Reset(0)
		case <-retry.C:
			if next, ok := l.pass(ctx, done); ok {
				retry.Reset(next)
			}
		}
	}
}

// loop is the state of Run between passes.
type loop struct {
	e       *Engine
	w       *watch.Watcher
	full    bool            // the next pass covers the whole folder
	paths   map[string]bool // else these paths
	backoff time.Duration
}

// note adds what a watcher batch reports to the next pass.
func (l *loop) note(b watch.Batch) {
	if b.Rescan {
		l.full = true
	}
	for _, p := range b.Paths {
		if path.Base(p) == ".cairnignore" {
			if r, ok := l.e.opts.Ignore.(interface{ Reload() error }); ok {
				if err := r.Reload(); err != nil {
					l.e.opts.Logger.Warn("reload ignore patterns", "err", err)
				}
			}
			l.w.Refresh() // watch what is no longer ignored, drop what now is
			l.full = true
		}
		l.paths[p] = true
	}
}

// pass runs the pass that is due, if any, and tells when to try again:
// soon when files were still being written, later and later while passes
// fail; ok is false when nothing is left to do.
func (l *loop) pass(ctx context.Context, done func(Summary, error)) (next time.Duration, ok bool) {
	if !l.full && len(l.paths) == 0 {
		return 0, false
	}
	var paths []string
	if !l.full {
		paths = slices.Sorted(maps.Keys(l.paths))
	}
	sum, _, err := l.e.Pass(ctx, paths...)
	if ctx.Err() != nil {
		return 0, false
	}
	if done != nil {
		done(sum, err)
	}
	if err != nil || sum.Failed > 0 {
		l.backoff = min(l.backoff*2, maxBackoff)
		return l.backoff, true // keep the scope for the retry
	}
	l.backoff = l.e.opts.Settle
	if sum.Pending > 0 {
		return l.e.opts.Settle, true
	}
	l.full, l.paths = false, map[string]bool{}
	return 0, false
}
