package cache

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
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
	if files := cacheFiles(t, dir); files.bytes > diskCap || len(files.data) != 1 {
		t.Fatalf("disk tier directory holds %d data files taking %d bytes, capacity %d", len(files.data), files.bytes, diskCap)
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
	if files := cacheFiles(t, dir); files.bytes > small {
		t.Fatalf("directory holds %d bytes, capacity %d", files.bytes, small)
	}
}

// storedOnDisk reads a new object of size bytes whole through a cache
// with a disk tier only, and closes it. It returns the options to open
// that cache again with, and the object.
func storedOnDisk(t *testing.T, size int, seed uint64) (Options, *source) {
	t.Helper()
	src := newSource(size, seed)
	opts := Options{BlockSize: testBlock, DiskDir: t.TempDir(), DiskBytes: 1 << 20}
	c := open(t, opts)
	read(t, c, obj1, src, 0, src.size(), nil)
	c.Close()
	return opts, src
}

func TestDamagedBlockIsRefetched(t *testing.T) {
	opts, src := storedOnDisk(t, 3*testBlock, 6)
	files := cacheFiles(t, opts.DiskDir)
	if len(files.data) != 1 {
		t.Fatalf("%d data files, want 1", len(files.data))
	}
	flipByte(t, files.data[0], testBlock-1)                    // a bit flipped in block 0
	zero(t, files.data[0], testBlock+testBlock/2, testBlock/2) // block 1 torn by a crash
	stray := filepath.Join(filepath.Dir(files.data[0]), "00000000000000ff-0000000000000001.data")
	if err := os.WriteFile(stray, []byte("no index"), 0o644); err != nil {
		t.Fatal(err)
	}

	c := open(t, opts)
	before := src.calls.Load()
	read(t, c, obj1, src, 0, src.size(), nil)
	// The two damaged blocks are adjacent: one ranged fetch brings both back.
	if s := settled(c); src.calls.Load()-before != 1 || s.FetchedBytes != 2*testBlock || s.DiscardedBlocks != 2 || s.DiskHits != 1 {
		t.Fatalf("%d fetches, stats %+v; want the 2 damaged blocks refetched", src.calls.Load()-before, s)
	}
	if _, err := os.Stat(stray); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("data file without an index not removed at Open: %v", err)
	}
	// Refetched blocks were stored again and verify.
	read(t, c, obj1, src, 0, src.size(), noFetch(t))
}

func TestDamagedIndexIsDiscarded(t *testing.T) {
	opts, src := storedOnDisk(t, 2*testBlock, 23)
	dir := opts.DiskDir
	flipByte(t, cacheFiles(t, dir).index[0], 20) // the object's size in the header
	c := open(t, opts)
	if s := settled(c); s.DiskBlocks != 0 {
		t.Fatalf("blocks of a damaged index kept: %+v", s)
	}
	if files := cacheFiles(t, dir); len(files.data)+len(files.index) != 0 {
		t.Fatalf("files of a damaged index kept: %+v", files)
	}
	read(t, c, obj1, src, 0, src.size(), nil)
}

func TestDamageWhileOpenIsDetected(t *testing.T) {
	dir := t.TempDir()
	src := newSource(testBlock, 7)
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, testBlock, nil)
	settled(c)
	flipByte(t, cacheFiles(t, dir).data[0], 40)
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

// dirFiles describes the files under a disk tier.
type dirFiles struct {
	data, index []string
	// bytes is the disk space the data files take: holes take none.
	bytes int64
}

// cacheFiles lists the data and index files under dir, sorted by path.
func cacheFiles(t *testing.T, dir string) dirFiles {
	t.Helper()
	var f dirFiles
	for _, kind := range []string{"data", "index"} {
		matches, err := filepath.Glob(filepath.Join(dir, "objects", "*", "*."+kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			var st syscall.Stat_t
			if err := syscall.Stat(m, &st); err != nil {
				t.Fatal(err)
			}
			if kind == "data" {
				f.data = append(f.data, m)
				f.bytes += st.Blocks * 512
			} else {
				f.index = append(f.index, m)
			}
		}
	}
	return f
}

// flipByte inverts the byte at off of a file.
func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// zero writes n zero bytes into a file at off.
func zero(t *testing.T, path string, off, n int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, n), off); err != nil {
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

func TestBlocksPutAsideAreStoredFromMemory(t *testing.T) {
	dir := t.TempDir()
	src := newSource(diskQueue*3*testBlock, 24)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 30, DiskDir: dir, DiskBytes: 1 << 30})
	// The writer stalls on its first block while the whole object is
	// read: the queue fills and the rest is put aside.
	release := stallWriter(c)
	read(t, c, obj1, src, 0, src.size(), nil)
	release()
	s := settled(c)
	if s.SkippedBlocks == 0 || s.DiskBlocks != diskQueue*3 {
		t.Fatalf("stats %+v; want blocks put aside, then all %d on disk", s, diskQueue*3)
	}
	f, done := localFile(t, c, obj1, src.size())
	f.Close()
	done()
}

func TestPrefetchWaitsForTheDiskWriter(t *testing.T) {
	dir := t.TempDir()
	src := newSource(diskQueue*3*testBlock, 25)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 30, DiskDir: dir, DiskBytes: 1 << 30})
	release := stallWriter(c)
	c.Prefetch(obj1, src.size(), 0, src.size(), src.fetch)
	for len(c.disk.queue) < diskQueue { // the queue fills up behind the stalled writer
		time.Sleep(time.Millisecond)
	}
	release()
	read(t, c, obj1, src, 0, src.size(), noFetch(t)) // waits for the prefetch
	s := settled(c)
	if s.SkippedBlocks != 0 || s.DiskBlocks != diskQueue*3 {
		t.Fatalf("stats %+v; want every prefetched block on disk, none skipped", s)
	}
}

// stallWriter makes the disk tier's writer wait, on the first block it
// takes, until the returned function is called.
func stallWriter(c *Cache) (release func()) {
	ch := make(chan struct{})
	var once sync.Once
	c.disk.beforePut = func() { once.Do(func() { <-ch }) }
	return func() { close(ch) }
}
