package test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sh runs a shell command line in dir and returns its output, failing the
// test when it fails.
func sh(t *testing.T, dir, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-ec", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=cairn", "GIT_AUTHOR_EMAIL=t@cairn.test",
		"GIT_COMMITTER_NAME=cairn", "GIT_COMMITTER_EMAIL=t@cairn.test", "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh -c %q in %s: %v\n%s", script, dir, err, out)
	}
	return string(out)
}

// workbench is a mounted bucket a workload runs in.
type workbench struct {
	b      *mountBackend
	bucket string
	mnt    string
}

// stored returns the bytes stored under key, read without the mount,
// once the mount has stored what was written in it.
func (w *workbench) stored(t *testing.T, key string) []byte {
	t.Helper()
	storeAll(t, w.mnt)
	return w.b.object(t, w.bucket, key)
}

// fsyncFile fsyncs the file or directory at path: for a file, it returns
// once the mount has stored it; for a directory, everything below it.
func fsyncFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatalf("fsync %s: %v", path, err)
	}
}

// storeAll waits until the mount on dir has stored every file written in
// it: a closed file is uploaded in the background, and fsync of the
// mount's root returns once every upload is done.
func storeAll(t *testing.T, dir string) {
	t.Helper()
	fsyncFile(t, dir)
}

// mountWorkloads are everyday tools at work in a mount, each a subtest
// of TestMountWorkloads on every backend.
var mountWorkloads = []struct {
	name string
	run  func(t *testing.T, w *workbench)
}{
	{"coreutils", workCoreutils},
	{"git", workGit},
	{"tar", workTar},
	{"editor save and append", workEditorSave},
	{"random dd writes", workRandomDD},
	{"large file written in order", workLargeInOrder},
	{"concurrent readers", workConcurrentReaders},
	{"two mounts", workTwoMounts},
}

// TestMountWorkloads runs everyday tools in a cairn mount, on cairn serve
// and on gofakes3: coreutils, git, tar with diff -r, an editor-style
// save, appends, random dd writes checked byte by byte, a large file
// written in order, concurrent readers, and a second mount of the bucket
// that sees the first one's changes and makes its own.
func TestMountWorkloads(t *testing.T) {
	needFUSE(t)
	needTool(t, "git")
	forEachBackend(t, func(t *testing.T, b *mountBackend) {
		b.makeBucket(t, "work")
		w := &workbench{b: b, bucket: "work", mnt: filepath.Join(t.TempDir(), "mnt")}
		b.mount(t, "work", w.mnt)
		for _, wl := range mountWorkloads {
			t.Run(wl.name, func(t *testing.T) { wl.run(t, w) })
		}
	})
}

func workCoreutils(t *testing.T, w *workbench) {
	sh(t, w.mnt, `mkdir -p cu/a/b && cp /etc/passwd cu/a/b/p && mv cu/a/b/p cu/a/q && touch -d '2020-01-02 03:04:05' cu/a/q && chmod 600 cu/a/q`)
	out := sh(t, w.mnt, `stat -c '%a %Y %s' cu/a/q && ls -lR cu`)
	want, _ := os.ReadFile("/etc/passwd")
	if !strings.HasPrefix(out, fmt.Sprintf("600 %d %d", time.Date(2020, 1, 2, 3, 4, 5, 0, time.Local).Unix(), len(want))) {
		t.Fatalf("stat after touch -d and chmod: %s", out)
	}
	if got := w.stored(t, "cu/a/q"); !bytes.Equal(got, want) {
		t.Fatal("cu/a/q in the bucket differs from /etc/passwd after cp and mv")
	}
	sh(t, w.mnt, `rm -r cu && test ! -e cu`)
}

func workGit(t *testing.T, w *workbench) {
	sh(t, w.mnt, `mkdir repo && cd repo && git init -q && echo one > f && git add f && git commit -qm first && echo two >> f && git commit -qam second`)
	repo := filepath.Join(w.mnt, "repo")
	if log := sh(t, repo, `git log --format=%s`); log != "second\nfirst\n" {
		t.Fatalf("git log in the mount: %q", log)
	}
	if st := sh(t, repo, `git status --porcelain && git fsck --no-progress 2>&1 && echo ok`); st != "ok\n" {
		t.Fatalf("git status/fsck in the mount: %q", st)
	}
}

func workTar(t *testing.T, w *workbench) {
	src := t.TempDir()
	for i := range 40 {
		writeRandomFile(t, filepath.Join(src, fmt.Sprintf("d%d/sub/f%02d.bin", i%4, i)), 100+i*997)
	}
	os.Symlink("d0/sub/f00.bin", filepath.Join(src, "link"))
	archive := filepath.Join(t.TempDir(), "src.tar")
	sh(t, src, "tar cf "+archive+" .")
	sh(t, w.mnt, "mkdir untar && tar xf "+archive+" -C untar")
	sh(t, w.mnt, "diff -r "+src+" untar")
}

func workEditorSave(t *testing.T, w *workbench) {
	writeFile(t, filepath.Join(w.mnt, "notes.txt"), "draft\n")
	sh(t, w.mnt, `printf 'final\n' > .notes.txt.swp && mv .notes.txt.swp notes.txt && echo more >> notes.txt && echo end >> notes.txt`)
	if got := string(w.stored(t, "notes.txt")); got != "final\nmore\nend\n" {
		t.Fatalf("notes.txt in the bucket after save and appends: %q", got)
	}
}

// workRandomDD patches a multipart file in place with dd, so that its
// uploads reuse the parts it did not change where the store can copy
// them, and send them where it cannot.
func workRandomDD(t *testing.T, w *workbench) {
	p := filepath.Join(w.mnt, "random.bin")
	want := make([]byte, 12<<20)
	rand.Read(want)
	if err := os.WriteFile(p, want, 0o644); err != nil {
		t.Fatal(err)
	}
	rng := mathrand(1)
	for range 20 {
		off, n := rng.IntN(len(want)-1000), 1+rng.IntN(1000)
		patch := make([]byte, n)
		rand.Read(patch)
		patchFile := filepath.Join(t.TempDir(), "patch")
		os.WriteFile(patchFile, patch, 0o644)
		sh(t, w.mnt, fmt.Sprintf("dd if=%s of=random.bin bs=1 seek=%d conv=notrunc status=none", patchFile, off))
		copy(want[off:], patch)
	}
	if got := w.stored(t, "random.bin"); !bytes.Equal(got, want) {
		t.Fatal("random.bin in the bucket differs from the dd writes, byte by byte")
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("random.bin read back through the mount differs from the dd writes (%v)", err)
	}
}

// workLargeInOrder writes a file of several parts in order, 1 MiB at a
// time, as cp does: its parts go up while it is written.
func workLargeInOrder(t *testing.T, w *workbench) {
	want := make([]byte, 21<<20+123)
	rand.Read(want)
	f, err := os.Create(filepath.Join(w.mnt, "large.bin"))
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(want); off += 1 << 20 {
		if _, err := f.Write(want[off:min(off+1<<20, len(want))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close large.bin: %v", err)
	}
	if got := w.stored(t, "large.bin"); !bytes.Equal(got, want) {
		t.Fatalf("large.bin in the bucket: %d bytes that differ from the %d written", len(got), len(want))
	}
}

func workConcurrentReaders(t *testing.T, w *workbench) {
	want := writeRandomFile(t, filepath.Join(w.mnt, "shared.bin"), 9<<20)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := os.ReadFile(filepath.Join(w.mnt, "shared.bin"))
			if err != nil || !bytes.Equal(got, want) {
				errs <- fmt.Errorf("concurrent read: %v (equal %v)", err, bytes.Equal(got, want))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// workTwoMounts mounts the bucket a second time and checks that each
// mount sees what the other writes, renames and deletes.
func workTwoMounts(t *testing.T, w *workbench) {
	a, b := w.mnt, filepath.Join(t.TempDir(), "second")
	w.b.mount(t, w.bucket, b)
	writeFile(t, filepath.Join(a, "from-a.txt"), "hello from a\n")
	eventually(t, func() error {
		got, err := os.ReadFile(filepath.Join(b, "from-a.txt"))
		if err != nil || string(got) != "hello from a\n" {
			return fmt.Errorf("b reads %q, %v", got, err)
		}
		return nil
	})
	if err := os.Rename(filepath.Join(b, "from-a.txt"), filepath.Join(b, "renamed-by-b.txt")); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() error {
		if _, err := os.Stat(filepath.Join(a, "from-a.txt")); err == nil {
			return fmt.Errorf("a still sees from-a.txt")
		}
		if _, err := os.Stat(filepath.Join(a, "renamed-by-b.txt")); err != nil {
			return fmt.Errorf("a does not see renamed-by-b.txt: %v", err)
		}
		return nil
	})
	// unlink(2) itself, not os.Remove: after a failed unlink os.Remove
	// tries rmdir and reports that error (ENOENT) instead of the real one.
	if err := syscall.Unlink(filepath.Join(a, "renamed-by-b.txt")); err != nil {
		t.Fatalf("unlink renamed-by-b.txt in a: %v", err)
	}
	eventually(t, func() error {
		if _, err := os.Stat(filepath.Join(b, "renamed-by-b.txt")); err == nil {
			return fmt.Errorf("b still sees renamed-by-b.txt after a deleted it")
		}
		return nil
	})
}

// eventually retries check until it passes, for at most 10 s (changes
// made elsewhere show within the mount's metadata TTL).
func eventually(t *testing.T, check func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func mathrand(seed uint64) *mrand.Rand { return mrand.New(mrand.NewPCG(seed, seed)) }
