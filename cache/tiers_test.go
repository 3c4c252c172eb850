package cache

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestMemoryTierHit(t *testing.T) {
	src := newSource(10*testBlock, 1)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 64 * testBlock})
	read(t, c, obj1, src, 100, 200, nil)
	read(t, c, obj1, src, 300, 200, noFetch(t))
	s := settled(c)
	if src.calls.Load() != 1 || s.MemoryHits != 1 || s.MemoryMisses != 1 {
		t.Fatalf("fetches %d, stats %+v; want 1 fetch, 1 memory hit, 1 miss", src.calls.Load(), s)
	}
	if s.MemoryBytes != testBlock {
		t.Fatalf("memory tier holds %d bytes, want %d", s.MemoryBytes, testBlock)
	}
}

func TestDiskTierHitAndPromotion(t *testing.T) {
	dir := t.TempDir()
	src := newSource(10*testBlock, 2)
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, testBlock, nil)
	read(t, c, obj1, src, 10, 20, noFetch(t))
	if s := settled(c); s.DiskHits != 1 || s.DiskMisses != 1 || s.DiskBlocks != 1 {
		t.Fatalf("stats %+v; want 1 disk hit, 1 miss, 1 block", s)
	}
	c.Close()

	c = open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, 100, noFetch(t))
	read(t, c, obj1, src, 100, 100, noFetch(t))
	if s := settled(c); s.DiskHits != 1 || s.MemoryHits != 1 {
		t.Fatalf("stats %+v; want the disk hit promoted to a memory hit", s)
	}
}

func TestEvictionKeepsTiersWithinBounds(t *testing.T) {
	src := newSource(200*testBlock, 3)
	dir := t.TempDir()
	memCap, diskCap := int64(8*testBlock), int64(10*(testBlock+200))
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: memCap, DiskDir: dir, DiskBytes: diskCap})
	for i := range int64(200) {
		read(t, c, obj1, src, i*testBlock, testBlock, nil)
		s := settled(c)
		if s.MemoryBytes > memCap || s.DiskBytes > diskCap {
			t.Fatalf("after block %d: memory %d/%d, disk %d/%d bytes", i, s.MemoryBytes, memCap, s.DiskBytes, diskCap)
		}
	}
	if files := blockFiles(t, dir); files.bytes > diskCap || files.count == 0 {
		t.Fatalf("disk tier directory holds %d files of %d bytes, capacity %d", files.count, files.bytes, diskCap)
	}
	// The newest blocks survive on disk.
	read(t, c, obj1, src, 199*testBlock, testBlock, noFetch(t))
}

func TestReopenReusesDiskTier(t *testing.T) {
	dir := t.TempDir()
	src := newSource(37*testBlock+123, 4)
	opts := Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20}
	c := open(t, opts)
	read(t, c, obj1, src, 0, src.size(), nil)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = open(t, opts)
	read(t, c, obj1, src, 0, src.size(), noFetch(t))
	if s := settled(c); s.DiskBlocks != 38 || s.DiskHits != 38 {
		t.Fatalf("after reopen: %+v; want 38 blocks, all hits", s)
	}
}

func TestReopenShrinksToNewCapacity(t *testing.T) {
	dir := t.TempDir()
	src := newSource(20*testBlock, 5)
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, src.size(), nil)
	c.Close()
	small := int64(5 * (testBlock + 100))
	c = open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: small})
	if s := settled(c); s.DiskBytes > small || s.DiskBlocks != 5 {
		t.Fatalf("reopened with %d bytes: %+v", small, s)
	}
	if files := blockFiles(t, dir); files.bytes > small {
		t.Fatalf("directory holds %d bytes, capacity %d", files.bytes, small)
	}
}

func TestDamagedBlockFileIsRefetched(t *testing.T) {
	dir := t.TempDir()
	src := newSource(3*testBlock, 6)
	opts := Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20}
	c := open(t, opts)
	read(t, c, obj1, src, 0, src.size(), nil)
	c.Close()

	files := blockFiles(t, dir).paths
	if len(files) != 3 {
		t.Fatalf("%d block files, want 3", len(files))
	}
	flipByte(t, files[0], -1)          // a bit flipped in the data
	truncate(t, files[1], testBlock/2) // torn write
	if err := os.WriteFile(files[2]+".tmp-7", []byte("partial"), 0o644); err != nil {
		t.Fatal(err) // a temp file left by a crash
	}

	c = open(t, opts)
	before := src.calls.Load()
	read(t, c, obj1, src, 0, src.size(), nil)
	// The two damaged blocks are adjacent: one ranged fetch brings both back.
	if s := settled(c); src.calls.Load()-before != 1 || s.FetchedBytes != 2*testBlock || s.DiscardedBlocks != 2 || s.DiskHits != 1 {
		t.Fatalf("%d fetches, stats %+v; want the 2 damaged blocks refetched", src.calls.Load()-before, s)
	}
	if _, err := os.Stat(files[2] + ".tmp-7"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("leftover temp file not removed at Open: %v", err)
	}
	// Refetched blocks were stored again and verify.
	read(t, c, obj1, src, 0, src.size(), noFetch(t))
}

func TestDamageWhileOpenIsDetected(t *testing.T) {
	dir := t.TempDir()
	src := newSource(testBlock, 7)
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, testBlock, nil)
	flipByte(t, blockFiles(t, dir).paths[0], 40)
	read(t, c, obj1, src, 0, testBlock, nil)
	if src.calls.Load() != 2 || settled(c).DiscardedBlocks != 1 {
		t.Fatalf("fetches %d, stats %+v", src.calls.Load(), settled(c))
	}
}

func TestVersionsNeverShareBlocks(t *testing.T) {
	dir := t.TempDir()
	v1, v2 := newSource(2*testBlock, 8), newSource(2*testBlock, 9)
	o2 := obj1
	o2.Version = "etag-2"
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, v1, 0, v1.size(), nil)
	read(t, c, o2, v2, 0, v2.size(), nil)
	read(t, c, obj1, v1, 0, v1.size(), noFetch(t))
	read(t, c, o2, v2, 0, v2.size(), noFetch(t))
	if v1.calls.Load() != 1 || v2.calls.Load() != 1 {
		t.Fatalf("fetches v1 %d, v2 %d; want one each", v1.calls.Load(), v2.calls.Load())
	}
}

func TestInvalidateDropsEveryVersion(t *testing.T) {
	dir := t.TempDir()
	src := newSource(2*testBlock, 10)
	o2 := obj1
	o2.Version = "etag-2"
	other := ObjectID{Bucket: obj1.Bucket, Key: "other", Version: "x"}
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, src.size(), nil)
	read(t, c, o2, src, 0, src.size(), nil)
	read(t, c, other, src, 0, src.size(), nil)
	c.Invalidate(obj1.Bucket, obj1.Key)
	if s := settled(c); s.DiskBlocks != 2 || s.MemoryBytes != 2*testBlock {
		t.Fatalf("after Invalidate: %+v; want only the other object's 2 blocks", s)
	}
	before := src.calls.Load()
	read(t, c, obj1, src, 0, src.size(), nil)
	read(t, c, other, src, 0, src.size(), noFetch(t))
	if src.calls.Load() != before+1 {
		t.Fatalf("invalidated object not refetched")
	}
}

func TestSecondOpenOfDirectoryFails(t *testing.T) {
	dir := t.TempDir()
	open(t, Options{DiskDir: dir, DiskBytes: 1 << 20})
	if _, err := Open(Options{DiskDir: dir, DiskBytes: 1 << 20}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
}

func TestOptionsAreChecked(t *testing.T) {
	for _, o := range []Options{
		{BlockSize: -1},
		{MemoryBytes: -1},
		{DiskDir: t.TempDir()},
	} {
		if c, err := Open(o); err == nil {
			c.Close()
			t.Errorf("Open(%+v) succeeded", o)
		}
	}
}

// dirFiles describes the block files under a disk tier.
type dirFiles struct {
	paths []string
	count int
	bytes int64
}

// blockFiles lists the block files under dir, sorted by path.
func blockFiles(t *testing.T, dir string) dirFiles {
	t.Helper()
	var f dirFiles
	matches, err := filepath.Glob(filepath.Join(dir, "blocks", "*", "*.blk"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		info, err := os.Stat(m)
		if err != nil {
			t.Fatal(err)
		}
		f.paths = append(f.paths, m)
		f.count++
		f.bytes += info.Size()
	}
	return f
}

// flipByte inverts the byte at off of a file (negative: from the end).
func flipByte(t *testing.T, path string, off int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += len(b)
	}
	b[off] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// truncate cuts a file to n bytes.
func truncate(t *testing.T, path string, n int64) {
	t.Helper()
	if err := os.Truncate(path, n); err != nil {
		t.Fatal(err)
	}
}

func TestBlocksOfAnotherBlockSizeAreNotServed(t *testing.T) {
	dir := t.TempDir()
	src := newSource(8*testBlock+5, 22)
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, src.size(), nil)
	c.Close()
	c = open(t, Options{BlockSize: 2 * testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	before := src.calls.Load()
	read(t, c, obj1, src, 0, src.size(), nil)
	if src.calls.Load() != before+1 {
		t.Fatalf("blocks cut at %d bytes were served as blocks of %d", testBlock, 2*testBlock)
	}
}
