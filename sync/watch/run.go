package watch

import (
	"errors"
	"os"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
)

// run is the Watcher's one goroutine: it turns events into settled paths
// and hands batches to the consumer without ever blocking event intake.
func (w *Watcher) run() {
	defer w.wg.Done()
	defer close(w.out)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	armed := false
	var poll *time.Ticker
	defer func() {
		if poll != nil {
			poll.Stop()
		}
	}()
	var batch Batch // what the consumer gets next, valid while built
	built := false
	for {
		var out chan<- Batch
		if w.rescan || len(w.ready) > 0 {
			if !built {
				batch, built = w.batch(), true
			}
			out = w.out
		}
		var pollC <-chan time.Time
		if w.limited || w.rootLost {
			if poll == nil {
				poll = time.NewTicker(w.opts.PollInterval)
			}
			pollC = poll.C
		}
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.handleError(err)
		case now := <-timer.C:
			armed = false
			w.flushDue(now)
		case <-pollC:
			w.poll()
		case <-w.refresh:
			w.rewatch()
		case out <- batch:
			built = false
			w.ready = map[string]struct{}{}
			w.rescan = false
			continue
		}
		built = false
		if !armed && len(w.settle.pending) > 0 {
			timer.Reset(time.Until(w.settle.next()))
			armed = true
		}
	}
}

// batch builds the batch of the paths ready to be reported.
func (w *Watcher) batch() Batch {
	b := Batch{Rescan: w.rescan, Paths: make([]string, 0, len(w.ready))}
	for p := range w.ready {
		b.Paths = append(b.Paths, p)
	}
	slices.Sort(b.Paths)
	return b
}

// touch records an event on rel.
func (w *Watcher) touch(rel string) {
	w.settle.touch(rel, time.Now())
}

// flushDue moves the paths that have settled to the ready set.
func (w *Watcher) flushDue(now time.Time) {
	paths, _ := w.settle.due(now)
	for _, p := range paths {
		w.ready[p] = struct{}{}
	}
}

// handle records one event and keeps the watches in step with the tree.
func (w *Watcher) handle(ev fsnotify.Event) {
	rel, ok := w.rel(ev.Name)
	if !ok {
		return
	}
	if rel == "" {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			w.loseRoot()
		}
		return
	}
	wasDir := w.dirs.has(rel)
	fi, err := os.Lstat(ev.Name)
	isDir := (err == nil && fi.IsDir()) || (err != nil && wasDir)
	gone := ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	if wasDir && (gone || !isDir) {
		w.dropTree(rel)
	}
	if w.ignored(rel, isDir) {
		if w.dirs.has(rel) {
			w.dropTree(rel)
		}
		return
	}
	w.touch(rel)
	// A created directory is walked even if a watch is recorded for its
	// name: it may have replaced a watched one (a rename over an empty
	// directory), or been seen already by its parent's walk.
	if err == nil && fi.IsDir() && (ev.Has(fsnotify.Create) || !w.dirs.has(rel)) {
		_ = w.watchTree(rel, true) // handled by watchDir
	}
}

// handleError turns an error of the event stream into a rescan.
func (w *Watcher) handleError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.log.Warn("inotify event queue overflowed; rescanning "+
			"(sysctl fs.inotify.max_queued_events sets its size)", "root", w.root)
	} else {
		w.log.Error("watching failed; rescanning", "root", w.root, "err", err)
	}
	w.rescan = true
}

// loseRoot handles the root being removed or renamed away.
func (w *Watcher) loseRoot() {
	if w.rootLost {
		return
	}
	w.log.Error("sync root removed or renamed; waiting for it to return", "root", w.root)
	w.dropTree("")
	w.rootLost = true
	w.rescan = true
}

// poll runs on the poll timer while changes can be missed.
func (w *Watcher) poll() {
	if w.rootLost {
		fi, err := os.Stat(w.root)
		if err != nil || !fi.IsDir() {
			return
		}
		if err := w.watchTree("", false); err != nil && !w.limited {
			return // logged by watchDir; try again on the next tick
		}
		w.log.Info("sync root is back; watching it again", "root", w.root)
		w.rootLost = false
	}
	w.rescan = true
}

// rewatch brings the watches in line with the ignore rules and asks for a
// rescan.
func (w *Watcher) rewatch() {
	if w.rootLost {
		return
	}
	for _, d := range w.dirs.list() {
		if w.dirs.has(d) && w.ignored(d, true) {
			w.dropTree(d)
		}
	}
	_ = w.watchTree("", false) // handled by watchDir
	w.rescan = true
}
