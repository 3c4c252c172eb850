package mount

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/cache"
	"github.com/cairnfs/cairn/objstore"
)

// passthroughMount mounts a bucket holding one random file, "data", with a
// block cache on disk, and skips the test where the kernel or the user
// cannot do passthrough.
func passthroughMount(t *testing.T) (*FS, string, *cache.Cache, []byte) {
	t.Helper()
	st := newStore(t)
	ref := make([]byte, 3<<20+5)
	rand.New(rand.NewSource(11)).Read(ref)
	put(t, st, "data", string(ref), nil)
	c, err := cache.Open(cache.Options{MemoryBytes: 16 << 20, DiskDir: t.TempDir(), DiskBytes: 64 << 20, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	f, dir := mountStore(t, st, Options{Cache: c})
	if !f.passthroughOK() {
		t.Skip("FUSE passthrough needs Linux 6.9 or later and root")
	}
	return f, dir, c, ref
}

// waitWhole waits until the cache's disk tier holds the whole stored
// version of key (its writer stores blocks behind the reads).
func waitWhole(t *testing.T, c *cache.Cache, st objstore.ObjectInfo) {
	t.Helper()
	obj := cache.ObjectID{Bucket: testBucket, Key: st.Key, Version: st.ETag}
	for range 500 {
		if file, release, ok := c.LocalFile(obj, st.Size); ok {
			file.Close()
			release()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the disk tier never held all of %s", st.Key)
}

// readAll reads an open file from its start.
func readAll(t *testing.T, f *os.File) []byte {
	t.Helper()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<40))
	if err != nil {
		t.Fatalf("read %s: %v", f.Name(), err)
	}
	return b
}

// open opens a file of the mount, closed when the test ends.
func openFile(t *testing.T, path string, flag int) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestPassthroughReadsWholeCachedFile reads a file whose whole version the
// disk cache holds: the kernel reads (and maps) it from the cache without
// the mount; meanwhile it cannot be written, and once closed it can.
func TestPassthroughReadsWholeCachedFile(t *testing.T) {
	f, dir, c, ref := passthroughMount(t)
	path := filepath.Join(dir, "data")
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, ref) {
		t.Fatalf("cold read: %d bytes, %v", len(b), err)
	}
	_, info := get(t, f.store, "data")
	waitWhole(t, c, info)
	if n := f.PassthroughOpens(); n != 0 {
		t.Fatalf("%d passthrough opens before the file was whole on disk", n)
	}

	before := c.Stats()
	r1 := openFile(t, path, os.O_RDONLY)
	if !bytes.Equal(readAll(t, r1), ref) {
		t.Fatal("passthrough read differs from the object")
	}
	m, err := syscall.Mmap(int(r1.Fd()), 0, len(ref), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	if !bytes.Equal(m, ref) {
		t.Fatal("mapped bytes differ from the object")
	}
	syscall.Munmap(m)
	r2 := openFile(t, path, os.O_RDONLY)
	if !bytes.Equal(readAll(t, r2), ref) {
		t.Fatal("second passthrough read differs from the object")
	}
	if n := f.PassthroughOpens(); n != 2 {
		t.Fatalf("%d passthrough opens, want 2", n)
	}
	if after := c.Stats(); after.MemoryHits+after.DiskHits != before.MemoryHits+before.DiskHits || after.Fetches != before.Fetches {
		t.Fatalf("passthrough reads reached the cache: %+v then %+v", before, after)
	}

	// While it is read from the disk cache the file cannot be written to
	// nor truncated, as a program's file while it runs.
	if _, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); !errors.Is(err, syscall.ETXTBSY) {
		t.Fatalf("open for writing while read through passthrough: %v, want ETXTBSY", err)
	}
	if err := os.Truncate(path, 10); !errors.Is(err, syscall.ETXTBSY) {
		t.Fatalf("truncate while read through passthrough: %v, want ETXTBSY", err)
	}
	r1.Close()
	r2.Close()
	// Once they are closed, it can, at once: the open waits for the
	// kernel to tell the mount of the closes.
	w := openFile(t, path, os.O_WRONLY|os.O_APPEND)
	if _, err := w.WriteString("tail"); err != nil {
		t.Fatalf("append: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := append(bytes.Clone(ref), "tail"...)
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, want) {
		t.Fatalf("read after the append: %d bytes, %v; want %d with the tail", len(b), err, len(want))
	}
}

// TestCachedOpenKeepsFileOffPassthrough opens a file in the kernel's
// cached mode and keeps it open while its version becomes whole on disk:
// the opens meanwhile stay cached (a passthrough open would fail with
// EIO), and the first open once all are closed goes passthrough.
func TestCachedOpenKeepsFileOffPassthrough(t *testing.T) {
	f, dir, c, ref := passthroughMount(t)
	path := filepath.Join(dir, "data")
	first := openFile(t, path, os.O_RDONLY)
	if !bytes.Equal(readAll(t, first), ref) {
		t.Fatal("cold read differs from the object")
	}
	_, info := get(t, f.store, "data")
	waitWhole(t, c, info)
	second := openFile(t, path, os.O_RDONLY)
	if !bytes.Equal(readAll(t, second), ref) {
		t.Fatal("read beside a cached open differs from the object")
	}
	if n := f.PassthroughOpens(); n != 0 {
		t.Fatalf("%d passthrough opens beside a cached one", n)
	}
	first.Close()
	second.Close()
	// The kernel tells the mount of a close after close(2) returns: the
	// opens until then still find the file open in cached mode.
	for try := 0; f.PassthroughOpens() == 0; try++ {
		if try == 500 {
			t.Fatal("no passthrough open once the cached ones were closed")
		}
		time.Sleep(10 * time.Millisecond)
		third := openFile(t, path, os.O_RDONLY)
		if !bytes.Equal(readAll(t, third), ref) {
			t.Fatal("read after the cached opens closed differs from the object")
		}
		third.Close()
	}
}
