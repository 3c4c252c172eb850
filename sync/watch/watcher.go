package watch

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for zero Options fields.
const (
	DefaultSettle       = 500 * time.Millisecond
	DefaultPollInterval = 30 * time.Second
)

// Options tunes a Watcher.
type Options struct {
	// Ignore reports whether a path (slash-separated, relative to the
	// root) is left out: an ignored directory is not watched, and nothing
	// is reported for an ignored path. Nil ignores nothing.
	Ignore func(rel string, isDir bool) bool
	// Settle is how long a path must go without events before it is
	// reported, so a file being written is reported once it is quiet.
	// Zero means DefaultSettle.
	Settle time.Duration
	// MaxDelay, if positive, reports a path that keeps changing at the
	// latest this long after its first event. Zero means no limit. A value
	// below Settle is raised to Settle.
	MaxDelay time.Duration
	// PollInterval is how often a Rescan batch is sent while changes can
	// be missed (the inotify watch limit was hit, or the root is gone and
	// is checked for coming back). Zero means DefaultPollInterval.
	PollInterval time.Duration
	// Logger receives warnings and errors. Nil means slog.Default().
	Logger *slog.Logger
}

// Batch is a set of changed paths.
type Batch struct {
	// Paths are slash-separated paths relative to the root, sorted and
	// without duplicates. Each was created, written, removed, renamed (old
	// and new name) or had its metadata changed. A directory's path stands
	// for the directory itself; a directory that vanished took its whole
	// subtree with it.
	Paths []string
	// Rescan means events may have been lost: the consumer must rescan
	// the whole tree.
	Rescan bool
}

// Watcher watches a directory tree and reports changed paths in batches.
type Watcher struct {
	root    string // absolute and clean
	opts    Options
	log     *slog.Logger
	fsw     *fsnotify.Watcher
	add     func(name string) error // fsw.Add; replaced in tests
	out     chan Batch
	done    chan struct{}
	refresh chan struct{} // Refresh requests, at most one waiting
	wg      sync.WaitGroup

	closeOnce sync.Once
	closeErr  error

	// Owned by the run goroutine once New returns.
	dirs        *dirSet
	settle      *settler
	ready       map[string]struct{}
	rescan      bool
	limited     bool // the watch limit was hit: poll with Rescan batches
	rootLost    bool // the root vanished: poll for it to come back
	limitWarned bool
}

// New watches the tree at root. Every directory below it that Ignore does
// not exclude is watched before New returns, so a scan started afterwards
// misses nothing. Events are reported on Events until Close.
func New(root string, opts Options) (*Watcher, error) {
	return newWatcher(root, opts, nil)
}

// newWatcher is New with a hook that may wrap the function adding one
// inotify watch.
func newWatcher(root string, opts Options, wrapAdd func(func(string) error) func(string) error) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", abs, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch %s: not a directory", abs)
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w (consider raising fs.inotify.max_user_instances)", abs, err)
	}
	w := &Watcher{
		root:    abs,
		opts:    withDefaults(opts),
		fsw:     fsw,
		add:     fsw.Add,
		out:     make(chan Batch),
		done:    make(chan struct{}),
		refresh: make(chan struct{}, 1),
		dirs:    newDirSet(),
		ready:   map[string]struct{}{},
	}
	w.log = w.opts.Logger
	w.settle = newSettler(w.opts.Settle, w.opts.MaxDelay)
	if wrapAdd != nil {
		w.add = wrapAdd(w.add)
	}
	if err := w.watchTree("", false); err != nil && !w.limited {
		fsw.Close()
		return nil, fmt.Errorf("watch %s: %w", abs, err)
	}
	w.wg.Add(1)
	go w.run()
	return w, nil
}

// withDefaults fills in zero Options fields.
func withDefaults(o Options) Options {
	if o.Settle <= 0 {
		o.Settle = DefaultSettle
	}
	if o.MaxDelay > 0 && o.MaxDelay < o.Settle {
		o.MaxDelay = o.Settle
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Events returns the channel of batches. It is closed by Close.
func (w *Watcher) Events() <-chan Batch { return w.out }

// Refresh applies Options.Ignore to the whole tree again, for after the
// ignore rules changed: directories no longer ignored are watched, the
// watches of newly ignored ones are dropped, and a Rescan batch follows.
// It does not wait for that to happen.
func (w *Watcher) Refresh() {
	select {
	case w.refresh <- struct{}{}:
	default: // one is pending already
	}
}

// Close stops watching, waits for the Watcher's goroutines to end and
// closes the Events channel. Paths not yet reported are dropped. Calling
// it again returns the first call's result.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() {
		close(w.done)
		if err := w.fsw.Close(); err != nil {
			w.closeErr = fmt.Errorf("close watcher of %s: %w", w.root, err)
		}
		w.wg.Wait()
	})
	return w.closeErr
}
