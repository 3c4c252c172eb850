package mount

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// pastKernelTimeouts waits out kernel entry and attribute timeouts of a
// nanosecond, which the kernel rounds up to a clock tick (at most 10 ms).
func pastKernelTimeouts() { time.Sleep(50 * time.Millisecond) }

// TestSeesStoreChanges changes objects through the store behind the
// mount's back; with a metadata TTL of a nanosecond, the mount shows
// each change as soon as the kernel asks again, content included.
func TestSeesStoreChanges(t *testing.T) {
	st := newStore(t)
	put(t, st, "f", "old content", nil)
	_, dir := mountStore(t, st, Options{MetadataTTL: time.Nanosecond})
	p := filepath.Join(dir, "f")
	if b, err := os.ReadFile(p); err != nil || string(b) != "old content" {
		t.Fatalf("first read: %q %v", b, err)
	}
	put(t, st, "f", "new!", nil)
	pastKernelTimeouts()
	if b, err := os.ReadFile(p); err != nil || string(b) != "new!" {
		t.Errorf("read after an overwrite: %q %v", b, err)
	}
	put(t, st, "g", "g", nil)
	pastKernelTimeouts()
	if got := names(t, dir); len(got) != 2 {
		t.Errorf("listing after a put: %v", got)
	}
	if _, err := st.DeleteObject(t.Context(), testBucket, "f", deleteOpts()); err != nil {
		t.Fatal(err)
	}
	pastKernelTimeouts()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("stat after a delete: %v", err)
	}
}

// TestSharedMmapWrite writes through a shared writable mapping; the
// bytes are stored once the file is unmapped and closed.
func TestSharedMmapWrite(t *testing.T) {
	st := newStore(t)
	put(t, st, "m", "aaaaaaaaaa", nil)
	_, dir := mountStore(t, st, Options{})
	f, err := os.OpenFile(filepath.Join(dir, "m"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, 10, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	copy(mem[2:], "XYZ")
	if err := syscall.Munmap(mem); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := get(t, st, "m"); string(b) != "aaXYZaaaaa" {
		t.Errorf("stored %q", b)
	}
}
