package cache

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// localFile returns c's LocalFile of obj, failing the test when there is
// none.
func localFile(t *testing.T, c *Cache, obj ObjectID, size int64) (*os.File, func()) {
	t.Helper()
	f, release, ok := c.LocalFile(obj, size)
	if !ok {
		t.Fatalf("no LocalFile of %s (stats %+v)", obj.Key, settled(c))
	}
	return f, release
}

// localBytes returns the whole content of a file LocalFile returned.
func localBytes(t *testing.T, f *os.File) []byte {
	t.Helper()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<40))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLocalFileOnlyOfWholeVerifiedVersions(t *testing.T) {
	dir := t.TempDir()
	src := newSource(5*testBlock+77, 30)
	opts := Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20}
	c := open(t, opts)
	read(t, c, obj1, src, 0, 3*testBlock, nil)
	settled(c)
	if _, _, ok := c.LocalFile(obj1, src.size()); ok {
		t.Fatal("LocalFile of a version whose blocks are not all cached")
	}
	read(t, c, obj1, src, 0, src.size(), nil)
	settled(c)
	f, release := localFile(t, c, obj1, src.size())
	if !bytes.Equal(localBytes(t, f), src.data) {
		t.Fatal("LocalFile's bytes differ from the object")
	}
	f.Close()
	release()
	if _, _, ok := c.LocalFile(obj1, src.size()+1); ok {
		t.Fatal("LocalFile for another size")
	}
	o2 := obj1
	o2.Version = "etag-2"
	if _, _, ok := c.LocalFile(o2, src.size()); ok {
		t.Fatal("LocalFile for another version")
	}
	c.Close()

	// After a restart the blocks are verified before the file is offered.
	c = open(t, opts)
	if _, _, ok := c.LocalFile(obj1, src.size()); ok {
		t.Fatal("LocalFile of blocks not verified since Open")
	}
	read(t, c, obj1, src, 0, src.size(), noFetch(t))
	f, release = localFile(t, c, obj1, src.size())
	f.Close()
	release()
}

func TestPinnedLocalFileKeepsItsBytes(t *testing.T) {
	dir := t.TempDir()
	src, other := newSource(4*testBlock, 31), newSource(6*testBlock, 32)
	obj2 := ObjectID{Bucket: obj1.Bucket, Key: "other", Version: "v"}
	capacity := int64(8 * (testBlock + entrySize))
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: capacity})
	read(t, c, obj1, src, 0, src.size(), nil)
	settled(c)
	f, release := localFile(t, c, obj1, src.size())
	defer f.Close()
	// Another object pushes two blocks of the first out of the tier: their
	// bytes stay in the pinned file until it is released.
	read(t, c, obj2, other, 0, other.size(), nil)
	if s := settled(c); s.DiskBlocks != 8 {
		t.Fatalf("stats %+v; want 8 blocks", s)
	}
	if !bytes.Equal(localBytes(t, f), src.data) {
		t.Fatal("a pinned file changed when its blocks were evicted")
	}
	if files := cacheFiles(t, dir); files.bytes != 10*testBlock {
		t.Fatalf("data files take %d bytes while pinned, want %d", files.bytes, 10*testBlock)
	}
	release()
	release() // a second release is harmless
	if files := cacheFiles(t, dir); files.bytes != 8*testBlock {
		t.Fatalf("data files take %d bytes once released, want %d", files.bytes, 8*testBlock)
	}
}

func TestInvalidatedLocalFileKeepsItsBytes(t *testing.T) {
	dir := t.TempDir()
	src := newSource(3*testBlock+1, 34)
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: 1 << 20})
	read(t, c, obj1, src, 0, src.size(), nil)
	settled(c)
	f, release := localFile(t, c, obj1, src.size())
	defer f.Close()
	c.Invalidate(obj1.Bucket, obj1.Key)
	if !bytes.Equal(localBytes(t, f), src.data) {
		t.Fatal("a pinned file changed when its object was invalidated")
	}
	release()
	if files := cacheFiles(t, dir); len(files.data)+len(files.index) != 0 {
		t.Fatalf("files of an invalidated object kept: %+v", files)
	}
	if _, _, ok := c.LocalFile(obj1, src.size()); ok {
		t.Fatal("LocalFile of an invalidated object")
	}
}

func TestEvictionPunchesHoles(t *testing.T) {
	dir := t.TempDir()
	src := newSource(16*testBlock, 33)
	capacity := int64(4 * (testBlock + entrySize))
	c := open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: capacity})
	read(t, c, obj1, src, 0, src.size(), nil)
	s := settled(c)
	files := cacheFiles(t, dir)
	if s.DiskBlocks != 4 || files.bytes > 4*testBlock {
		t.Fatalf("stats %+v, data files take %d bytes; want 4 blocks", s, files.bytes)
	}
	// The last four blocks are the ones kept, and they survive a reopen.
	c.Close()
	c = open(t, Options{BlockSize: testBlock, DiskDir: dir, DiskBytes: capacity})
	read(t, c, obj1, src, 12*testBlock, 4*testBlock, noFetch(t))
}
