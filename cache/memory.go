package cache

import (
	"fmt"
	"sync/atomic"

	"github.com/dgraph-io/ristretto/v2"
)

// memBlock is one block in the memory tier. It keeps its full name, so a
// hash collision inside ristretto can never serve another block's bytes,
// and its bucket and key, so Invalidate can find it.
type memBlock struct {
	name        string
	bucket, key string
	blk         *block
	left        atomic.Bool // the tier let go of blk (exactly once)
}

// let releases the tier's hold of the block, once whatever ristretto
// reports.
func (b *memBlock) let() {
	if b != nil && b.left.CompareAndSwap(false, true) {
		b.blk.release()
	}
}

// memTier keeps blocks in a ristretto cache bounded by their total bytes.
type memTier struct {
	c *ristretto.Cache[string, *memBlock]
}

// newMemory returns a memory tier of capacity bytes for blocks of blockSize.
func newMemory(capacity, blockSize int64) (*memTier, error) {
	c, err := ristretto.NewCache(&ristretto.Config[string, *memBlock]{
		NumCounters:        max(10*capacity/blockSize, 1024),
		MaxCost:            capacity,
		BufferItems:        64,
		IgnoreInternalCost: true,
		OnExit:             (*memBlock).let,
	})
	if err != nil {
		return nil, fmt.Errorf("create memory cache of %d bytes: %w", capacity, err)
	}
	return &memTier{c: c}, nil
}

// get returns the named block with a hold for the caller.
func (m *memTier) get(name string) (*block, bool) {
	b, ok := m.c.Get(name)
	if !ok || b.name != name || !b.blk.acquire() {
		return nil, false
	}
	return b.blk, true
}

// has reports whether the named block is held.
func (m *memTier) has(name string) bool {
	b, ok := m.c.Get(name)
	return ok && b.name == name && b.blk.refs.Load() > 0
}

// put offers a block, which the caller holds, to the tier and waits until
// the offer is applied, so a block just stored is visible to the next get
// (unless the admission policy turned it away). It reports whether the
// tier took it. The block's bytes must not be modified afterwards.
func (m *memTier) put(name string, k BlockKey, blk *block) bool {
	blk.acquire() // the tier's hold; cannot fail, the caller holds it
	mb := &memBlock{name: name, bucket: k.Bucket, key: k.Key, blk: blk}
	if !m.c.Set(name, mb, int64(len(blk.data))) {
		mb.let()
		return false
	}
	m.c.Wait()
	return m.has(name)
}

// invalidate removes every block of bucket/key.
func (m *memTier) invalidate(bucket, key string) {
	var names []string
	m.c.IterValues(func(b *memBlock) bool {
		if b.bucket == bucket && b.key == key {
			names = append(names, b.name)
		}
		return false
	})
	for _, n := range names {
		m.c.Del(n)
	}
	m.c.Wait()
}

// usage returns the bytes held.
func (m *memTier) usage() int64 {
	return m.c.MaxCost() - m.c.RemainingCost()
}

// close releases the tier's goroutines and memory.
func (m *memTier) close() {
	m.c.Close()
}
