package mount

import (
	"bytes"
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/cairnfs/cairn/cache"
	"github.com/cairnfs/cairn/objstore"
)

// getCounter is a Store that counts GetObject calls.
type getCounter struct {
	objstore.Store
	gets atomic.Int32
}

func (c *getCounter) GetObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (*objstore.Object, error) {
	c.gets.Add(1)
	return c.Store.GetObject(ctx, bucket, key, opts)
}

// TestBlockCacheReusedAfterRemount reads a file through a mount with a
// block cache, then through a new mount and a reopened cache: the second
// read is served from the disk tier without a GET.
func TestBlockCacheReusedAfterRemount(t *testing.T) {
	st := &getCounter{Store: newStore(t)}
	ref := make([]byte, 5<<20+3)
	rand.New(rand.NewSource(8)).Read(ref)
	put(t, st, "cached", string(ref), nil)
	cacheDir := t.TempDir()
	read := func() {
		c, err := cache.Open(cache.Options{MemoryBytes: 16 << 20, DiskDir: cacheDir, DiskBytes: 64 << 20, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		dir := t.TempDir()
		f, err := Mount(context.Background(), st, dir, Options{Bucket: testBucket, StagingDir: t.TempDir(), Cache: c, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "cached"))
		if err := f.Unmount(); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
			t.Fatal(err)
		}
		if err != nil || !bytes.Equal(b, ref) {
			t.Fatalf("read %d bytes, %v; equal: %v", len(b), err, bytes.Equal(b, ref))
		}
	}
	read()
	if st.gets.Load() == 0 {
		t.Fatal("first read made no GET")
	}
	st.gets.Store(0)
	read()
	if n := st.gets.Load(); n != 0 {
		t.Errorf("read after remount made %d GETs, want 0", n)
	}
}
