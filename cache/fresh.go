package cache

import (
	"container/list"
	"sync"
)

// freshTier holds the blocks fetched last, newest first, until newer ones
// push them out. The memory tier's admission policy turns away new blocks
// while its own are used more often, as in a long sequential read once it
// is full, and may evict a block it took before its reader comes: without
// this tier, a block fetched ahead of the reader would be read back from
// the disk tier, or fetched again without one.
type freshTier struct {
	capacity int64

	mu     sync.Mutex
	used   int64
	own    int64      // bytes of the blocks the memory tier did not take
	order  *list.List // of *freshBlock, newest at the front
	byName map[string]*list.Element
}

// freshBlock is a block of the fresh tier, and whether the memory tier
// took it too (it is then counted there).
type freshBlock struct {
	memBlock
	inMem bool
}

// maxFreshBytes bounds the fresh tier: twice the largest readahead window.
const maxFreshBytes = 2 * DefaultMaxReadahead

// newFresh returns a fresh tier of capacity bytes.
func newFresh(capacity int64) *freshTier {
	return &freshTier{capacity: capacity, order: list.New(), byName: map[string]*list.Element{}}
}

// get returns the named block with a hold for the caller.
func (f *freshTier) get(name string) (*block, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if el, ok := f.byName[name]; ok {
		blk := el.Value.(*freshBlock).blk
		blk.acquire() // cannot fail: the tier holds it
		return blk, true
	}
	return nil, false
}

// has reports whether the named block is held.
func (f *freshTier) has(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.byName[name]
	return ok
}

// put adds a block, which the caller holds, pushing out the oldest ones
// beyond the capacity. inMem tells that the memory tier took it too.
func (f *freshTier) put(name string, k BlockKey, blk *block, inMem bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	size := int64(len(blk.data))
	if _, ok := f.byName[name]; ok || size > f.capacity {
		return
	}
	blk.acquire() // the tier's hold; cannot fail, the caller holds it
	b := &freshBlock{memBlock: memBlock{name: name, bucket: k.Bucket, key: k.Key, blk: blk}, inMem: inMem}
	f.byName[name] = f.order.PushFront(b)
	f.used += size
	if !inMem {
		f.own += size
	}
	for f.used > f.capacity {
		f.removeLocked(f.order.Back())
	}
}

// invalidate removes every block of bucket/key.
func (f *freshTier) invalidate(bucket, key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for el := f.order.Front(); el != nil; {
		next := el.Next()
		if b := el.Value.(*freshBlock); b.bucket == bucket && b.key == key {
			f.removeLocked(el)
		}
		el = next
	}
}

// removeLocked drops one block; f.mu is held.
func (f *freshTier) removeLocked(el *list.Element) {
	b := f.order.Remove(el).(*freshBlock)
	delete(f.byName, b.name)
	size := int64(len(b.blk.data))
	f.used -= size
	if !b.inMem {
		f.own -= size
	}
	b.let()
}

// usage returns the bytes of the blocks held here only.
func (f *freshTier) usage() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.own
}
