package daemon

import (
	"log/slog"
	"os"
	"testing"
)

// A disk tier of size 0 is off, even with a directory given: the memory
// tier alone is opened and the directory is left untouched.
func TestMountCacheDiskSizeZeroTurnsDiskTierOff(t *testing.T) {
	dir := t.TempDir() + "/blocks"
	c, err := OpenMountCache(CacheConfig{Dir: dir, DiskBytes: 0, MemoryBytes: 1 << 20}, "", "bucket", "", slog.Default())
	if err != nil {
		t.Fatalf("OpenMountCache: %v", err)
	}
	if c == nil {
		t.Fatal("no cache: the memory tier is on")
	}
	defer c.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("disk tier directory %s: %v; want it never created", dir, err)
	}
}
