package mount

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairnfs/cairn/cache"
)

// pastKernelTimeouts waits out kernel entry and attribute timeouts of a
// nanosecond, which the kernel rounds up to a clock tick (at most 10 ms).
func pastKernelTimeouts() { time.Sleep(50 * time.Millisecond) }

// TestSeesStoreChanges changes objects through the store behind the
// mount's back; with a metadata TTL of a nanosecond, the mount shows
// each change as soon as the kernel asks again, content included.
func TestSeesStoreChanges(t *testing.T) {
	t.Run("direct", func(t *testing.T) { seesStoreChanges(t, nil) })
	t.Run("cached", func(t *testing.T) {
		c, err := cache.Open(cache.Options{MemoryBytes: 1 << 20, DiskDir: t.TempDir(), DiskBytes: 8 << 20, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		seesStoreChanges(t, c)
	})
}

func seesStoreChanges(t *testing.T, c *cache.Cache) {
	st := newStore(t)
	put(t, st, "f", "old content", nil)
	_, dir := mountStore(t, st, Options{MetadataTTL: time.Nanosecond, Cache: c})
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
