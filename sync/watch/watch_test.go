package watch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/sys/unix"
)

// TestFileChanges checks that creating, writing, renaming, chmod-ing and
// removing a file each report it (a rename reports both names).
func TestFileChanges(t *testing.T) {
	f := start(t, "", Options{})
	f.write("a.txt", "one")
	f.waitFor("a.txt")

	appendTo(t, f.path("a.txt"), "two")
	before := f.seen["a.txt"]
	for f.seen["a.txt"] == before {
		f.next()
	}

	if err := os.Rename(f.path("a.txt"), f.path("b.txt")); err != nil {
		t.Fatal(err)
	}
	before = f.seen["a.txt"]
	f.waitFor("b.txt")
	for f.seen["a.txt"] == before {
		f.next()
	}

	if err := os.Chmod(f.path("b.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	before = f.seen["b.txt"]
	for f.seen["b.txt"] == before {
		f.next()
	}

	if err := os.Remove(f.path("b.txt")); err != nil {
		t.Fatal(err)
	}
	before = f.seen["b.txt"]
	for f.seen["b.txt"] == before {
		f.next()
	}
}

// TestMkdirP checks that "mkdir -p a/b/c" followed at once by a file
// reports every level and the file, and that the new directories are
// watched afterwards.
func TestMkdirP(t *testing.T) {
	f := start(t, "", Options{})
	if err := os.MkdirAll(f.path("a/b/c"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.write("a/b/c/f.txt", "x")
	f.waitFor("a", "a/b", "a/b/c", "a/b/c/f.txt")

	f.write("a/b/c/g.txt", "y")
	f.write("a/b/h.txt", "z")
	f.waitFor("a/b/c/g.txt", "a/b/h.txt")
}

// TestMoveTreeIn checks that a populated tree moved in from outside the
// root is reported entry by entry and watched at every level.
func TestMoveTreeIn(t *testing.T) {
	outside := t.TempDir()
	tree := []string{"t/1.txt", "t/x/2.txt", "t/x/y/3.txt", "t/x/y/z/4.txt", "t/w/5.txt"}
	for _, p := range tree {
		writeFile(t, filepath.Join(outside, filepath.FromSlash(p)), p)
	}
	f := start(t, "", Options{})
	if err := os.Rename(filepath.Join(outside, "t"), f.path("t")); err != nil {
		t.Fatal(err)
	}
	f.waitFor(append(tree, "t", "t/x", "t/x/y", "t/x/y/z", "t/w")...)

	f.write("t/x/y/z/new.txt", "n")
	f.waitFor("t/x/y/z/new.txt")
}

// TestTarExtract checks that a tree unpacked by tar is reported in full.
func TestTarExtract(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("tar not installed")
	}
	src := t.TempDir()
	var want []string
	for _, d := range []string{"p", "p/q", "p/q/r", "p/s"} {
		for _, n := range []string{"a", "b", "c"} {
			writeFile(t, filepath.Join(src, d, n), d+n)
			want = append(want, d+"/"+n)
		}
		want = append(want, d)
	}
	archive := filepath.Join(t.TempDir(), "p.tar")
	run(t, "tar", "-C", src, "-cf", archive, "p")
	f := start(t, "", Options{})
	run(t, "tar", "-C", f.root, "-xf", archive)
	f.waitFor(want...)
}

// TestRenameDir checks that renaming a directory inside the root reports
// both names and its contents, and that later changes inside it come under
// the new name only.
func TestRenameDir(t *testing.T) {
	f := start(t, "", Options{})
	f.write("d/sub/old.txt", "o")
	f.waitFor("d/sub/old.txt")

	if err := os.Rename(f.path("d"), f.path("e")); err != nil {
		t.Fatal(err)
	}
	f.waitFor("d", "e", "e/sub", "e/sub/old.txt")

	f.write("e/sub/new.txt", "n")
	f.waitFor("e/sub/new.txt")
	f.never("d/sub/new.txt")
	if f.watched("d") || f.watched("d/sub") || !f.watched("e/sub") {
		t.Errorf("watches not moved with the directory: %q", f.w.fsw.WatchList())
	}
}

// TestRemoveDir checks that removing a tree reports it and drops its
// watches.
func TestRemoveDir(t *testing.T) {
	f := start(t, "", Options{})
	f.write("r/s/t/f.txt", "x")
	f.waitFor("r/s/t/f.txt")
	if !f.watched("r/s/t") {
		t.Fatalf("new directory r/s/t not watched")
	}
	if err := os.RemoveAll(f.path("r")); err != nil {
		t.Fatal(err)
	}
	before := f.seen["r"]
	for f.seen["r"] == before {
		f.next()
	}
	if got := f.w.fsw.WatchList(); len(got) != 1 || got[0] != f.root {
		t.Errorf("watches after removing the tree: %q, want only the root", got)
	}
}

// TestIgnore checks that ignored files are not reported and ignored
// directories are not watched, whether they exist at start or appear
// later.
func TestIgnore(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "skip", "old", "f"), "x")
	ignore := func(rel string, isDir bool) bool {
		return rel == "skip" || strings.HasPrefix(rel, "skip/") ||
			strings.HasSuffix(rel, ".tmp") || (isDir && filepath.Base(rel) == "cache")
	}
	f := start(t, root, Options{Ignore: ignore})
	if f.watched("skip") || f.watched("skip/old") {
		t.Fatalf("ignored directory watched: %q", f.w.fsw.WatchList())
	}
	f.write("skip/new.txt", "x")
	f.write("a.tmp", "x")
	f.write("sub/b.tmp", "x")
	f.write("sub/cache/c.txt", "x")
	f.write("sub/cache.txt", "x")
	f.write("zz-sentinel", "x") // written last: everything before it was seen
	f.waitFor("zz-sentinel", "sub", "sub/cache.txt")
	f.never("skip", "skip/new.txt", "a.tmp", "sub/b.tmp", "sub/cache", "sub/cache/c.txt")
	if f.watched("sub/cache") {
		t.Errorf("ignored directory sub/cache watched")
	}
}

// TestSettleChunks checks that a file written in several chunks is
// reported once, after the last chunk.
func TestSettleChunks(t *testing.T) {
	f := start(t, "", Options{Settle: 300 * time.Millisecond})
	chunk := strings.Repeat("x", 64<<10)
	file, err := os.Create(f.path("big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	for range 8 {
		if _, err := file.WriteString(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	f.waitFor("big.bin")
	f.write("zz-sentinel", "x")
	f.waitFor("zz-sentinel")
	if n := f.seen["big.bin"]; n != 1 {
		t.Errorf("big.bin reported in %d batches, want 1", n)
	}
}

// TestSymlinkNotFollowed checks that a symbolic link is reported as itself
// and the directory it points to is not watched.
func TestSymlinkNotFollowed(t *testing.T) {
	target := t.TempDir()
	f := start(t, "", Options{})
	if err := os.Symlink(target, f.path("link")); err != nil {
		t.Fatal(err)
	}
	f.waitFor("link")
	writeFile(t, filepath.Join(target, "inside.txt"), "x")
	f.write("zz-sentinel", "x")
	f.waitFor("zz-sentinel")
	f.never("link/inside.txt")
	if f.watched("link") {
		t.Errorf("symlink target watched")
	}
}

// TestClose checks that Close closes Events, can be called twice and
// leaves no goroutine behind.
func TestClose(t *testing.T) {
	root := t.TempDir()
	for range 3 {
		w, err := New(root, Options{Settle: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(root, "f"), "x")
		if err := w.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		for range w.Events() { // must end: the channel is closed
		}
	}
	checkNoGoroutines(t)
}

// TestRootRemoved checks that losing the root asks for a rescan instead of
// failing, and that a root that comes back is watched again.
func TestRootRemoved(t *testing.T) {
	root := filepath.Join(t.TempDir(), "root")
	writeFile(t, filepath.Join(root, "d", "f"), "x")
	f := start(t, root, Options{PollInterval: 50 * time.Millisecond})
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	f.waitRescan()
	if !strings.Contains(f.logs.String(), "sync root removed") {
		t.Errorf("root loss not logged:\n%s", f.logs.String())
	}
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(f.logs.String(), "sync root is back") {
		f.waitRescan()
	}
	f.write("again.txt", "x")
	f.waitFor("again.txt")
}

// TestOverflow checks that lost events ask for a rescan.
func TestOverflow(t *testing.T) {
	f := start(t, "", Options{})
	f.w.fsw.Errors <- fsnotify.ErrEventOverflow
	f.waitRescan()
	if !strings.Contains(f.logs.String(), "max_queued_events") {
		t.Errorf("overflow not logged:\n%s", f.logs.String())
	}
}

// TestWatchLimit checks that running out of inotify watches logs one
// warning naming the sysctl, sends Rescan batches periodically and keeps
// reporting changes where watches exist.
func TestWatchLimit(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a/x", "b", "c"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	limit := func(add func(string) error) func(string) error {
		return func(name string) error {
			if name != root {
				return unix.ENOSPC
			}
			return add(name)
		}
	}
	f := startWith(t, root, Options{PollInterval: 20 * time.Millisecond}, limit)
	for range 4 {
		f.waitRescan()
	}
	logs := f.logs.String()
	if n := strings.Count(logs, "watch limit reached"); n != 1 || !strings.Contains(logs, "sysctl fs.inotify.max_user_watches") {
		t.Errorf("watch limit warned %d times, want once naming the sysctl:\n%s", n, logs)
	}
	f.write("top.txt", "x")
	f.waitFor("top.txt")
}

func appendTo(t *testing.T, name, s string) {
	t.Helper()
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestRenameOverEmptyDir checks that a directory renamed over an empty one
// is watched under its new name.
func TestRenameOverEmptyDir(t *testing.T) {
	f := start(t, "", Options{})
	if err := os.Mkdir(f.path("e"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.write("d/sub/f", "x")
	f.waitFor("e", "d/sub/f")
	// os.Rename refuses to replace a directory; rename(2) does not.
	if err := unix.Rename(f.path("d"), f.path("e")); err != nil {
		t.Fatal(err)
	}
	f.waitFor("d", "e/sub", "e/sub/f")
	f.write("e/sub/g", "y")
	f.write("e/h", "z")
	f.waitFor("e/sub/g", "e/h")
}

// TestRefresh checks that after the ignore rules change, Refresh watches a
// directory no longer ignored and drops the watch of one now ignored.
func TestRefresh(t *testing.T) {
	var skip atomic.Bool
	skip.Store(true)
	ignore := func(rel string, isDir bool) bool {
		return skip.Load() && (rel == "s" || strings.HasPrefix(rel, "s/"))
	}
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "s", "deep", "f"), "x")
	f := start(t, root, Options{Ignore: ignore})
	if f.watched("s") {
		t.Fatalf("ignored directory watched")
	}

	skip.Store(false)
	f.w.Refresh()
	f.waitRescan()
	f.write("s/deep/g", "y")
	f.waitFor("s/deep/g")

	skip.Store(true)
	f.w.Refresh()
	f.waitRescan()
	if f.watched("s") || f.watched("s/deep") {
		t.Errorf("newly ignored directory still watched: %q", f.w.fsw.WatchList())
	}
}

// TestNewBadRoot checks that a missing root or a file as root is an error
// naming the path.
func TestNewBadRoot(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "file"), "x")
	for _, root := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "file")} {
		w, err := New(root, Options{})
		if err == nil {
			w.Close()
			t.Errorf("New(%s) succeeded", root)
			continue
		}
		if !strings.Contains(err.Error(), root) {
			t.Errorf("New(%s) error %q does not name the root", root, err)
		}
	}
}

// TestBurst checks that nothing is missed when many nested directories
// and files appear at once from several writers.
func TestBurst(t *testing.T) {
	f := start(t, "", Options{})
	var want []string
	for g := range 4 {
		for d := range 10 {
			dir := fmt.Sprintf("g%d/d%d/e", g, d)
			want = append(want, fmt.Sprintf("g%d", g), fmt.Sprintf("g%d/d%d", g, d), dir)
			for n := range 5 {
				want = append(want, fmt.Sprintf("%s/f%d", dir, n))
			}
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for d := range 10 {
				for n := range 5 {
					name := f.path(fmt.Sprintf("g%d/d%d/e/f%d", g, d, n))
					if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
						t.Error(err)
						return
					}
					if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	f.waitFor(want...)
}
