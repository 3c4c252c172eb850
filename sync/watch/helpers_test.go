package watch

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitLimit bounds every wait for a batch; it only matters when a test is
// failing.
const waitLimit = 20 * time.Second

// logBuffer is a concurrency-safe log sink a test can inspect.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is a running Watcher over a temporary root.
type fixture struct {
	t    *testing.T
	root string
	w    *Watcher
	logs *logBuffer
	seen map[string]int // path -> number of batches it was in
}

// start watches root (a new temporary directory when empty) with opts;
// Settle defaults to 50ms. The Watcher is closed when the test ends.
func start(t *testing.T, root string, opts Options) *fixture {
	t.Helper()
	return startWith(t, root, opts, nil)
}

func startWith(t *testing.T, root string, opts Options, wrap func(func(string) error) func(string) error) *fixture {
	t.Helper()
	if root == "" {
		root = t.TempDir()
	}
	if opts.Settle == 0 {
		opts.Settle = 50 * time.Millisecond
	}
	f := &fixture{t: t, root: root, logs: &logBuffer{}, seen: map[string]int{}}
	opts.Logger = slog.New(slog.NewTextHandler(f.logs, nil))
	w, err := newWatcher(root, opts, wrap)
	if err != nil {
		t.Fatalf("New(%s): %v", root, err)
	}
	f.w = w
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("watcher log:\n%s", f.logs.String())
		}
	})
	return f
}

// next returns the next batch, checking that its paths are sorted and
// unique.
func (f *fixture) next() Batch {
	f.t.Helper()
	select {
	case b, ok := <-f.w.Events():
		if !ok {
			f.t.Fatalf("Events closed while the watcher runs")
		}
		if !slices.IsSorted(b.Paths) || len(slices.Compact(slices.Clone(b.Paths))) != len(b.Paths) {
			f.t.Fatalf("batch paths not sorted and unique: %q", b.Paths)
		}
		for _, p := range b.Paths {
			f.seen[p]++
		}
		return b
	case <-time.After(waitLimit):
		f.t.Fatalf("no batch within %v; seen so far: %v", waitLimit, f.seen)
		return Batch{}
	}
}

// waitFor reads batches until every path in want has been reported.
func (f *fixture) waitFor(want ...string) {
	f.t.Helper()
	for {
		missing := false
		for _, p := range want {
			if f.seen[p] == 0 {
				missing = true
			}
		}
		if !missing {
			return
		}
		f.next()
	}
}

// waitRescan reads batches until one asks for a rescan.
func (f *fixture) waitRescan() {
	f.t.Helper()
	for !f.next().Rescan {
	}
}

// never fails if any of paths was reported.
func (f *fixture) never(paths ...string) {
	f.t.Helper()
	for _, p := range paths {
		if f.seen[p] > 0 {
			f.t.Errorf("%q was reported; it must not be", p)
		}
	}
}

// path returns the absolute name of rel under the root.
func (f *fixture) path(rel string) string {
	return filepath.Join(f.root, filepath.FromSlash(rel))
}

// write creates or replaces rel with content, creating its parents.
func (f *fixture) write(rel, content string) {
	f.t.Helper()
	writeFile(f.t, f.path(rel), content)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// watched reports whether the inotify watcher holds a watch on rel.
func (f *fixture) watched(rel string) bool {
	return slices.Contains(f.w.fsw.WatchList(), f.path(rel))
}

// checkNoGoroutines waits until no goroutine of a Watcher or of fsnotify
// is left.
func checkNoGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "fsnotify.(*inotify).readEvents") &&
			!strings.Contains(stacks, "watch.(*Watcher).run") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left after Close:\n%s", stacks)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
