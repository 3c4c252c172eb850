package cache

import (
	"context"
	"testing"
)

// TestSequentialReadLargerThanMemoryFetchesOnce reads, in order through a
// Readahead, an object four times the memory budget after the memory tier
// filled with blocks read often, and with no disk tier: every block is
// fetched once, none again because the memory tier turned it away
// between the prefetch and the read.
func TestSequentialReadLargerThanMemoryFetchesOnce(t *testing.T) {
	const memBlocks = 32
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: memBlocks * testBlock})
	hot := newSource(memBlocks/2*testBlock, 40)
	hotObj := ObjectID{Bucket: "b", Key: "hot", Version: "1"}
	for range 4 {
		read(t, c, hotObj, hot, 0, hot.size(), hot.fetch)
	}
	src := newSource(4*memBlocks*testBlock, 41)
	ra := NewReadahead(c, obj1, src.size(), src.fetch, 8*testBlock)
	p := make([]byte, testBlock)
	for off := int64(0); off < src.size(); off += testBlock {
		if _, err := ra.ReadAt(context.Background(), p, off); err != nil && off+testBlock < src.size() {
			t.Fatalf("read at %d: %v", off, err)
		}
		if string(p) != string(src.data[off:off+testBlock]) {
			t.Fatalf("read at %d returned wrong bytes", off)
		}
	}
	var fetched int64
	for _, r := range src.fetched() {
		fetched += r[1]
	}
	if fetched != src.size() {
		t.Fatalf("fetched %d bytes to read an object of %d once", fetched, src.size())
	}
	if s := settled(c); s.MemoryBytes > memBlocks*testBlock {
		t.Fatalf("memory holds %d bytes, over its budget of %d", s.MemoryBytes, memBlocks*testBlock)
	}
}
