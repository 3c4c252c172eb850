package cache

import "sync/atomic"

// block is the bytes of one cached block with a count of their holders:
// each tier that keeps the block, a queued disk write, and each reader
// between getting the block and being done with its bytes. The last
// holder to let go gives the bytes back to their pool, so that a long
// read reuses a steady set of buffers instead of allocating (zeroing and
// faulting in) fresh memory for every block.
//
// A block whose count reached zero is dead for good: its bytes may be
// another block's already, and acquire refuses it. Holders that found it
// through a tier then treat it as a miss.
type block struct {
	data []byte
	refs atomic.Int32
	pool *blockPool // nil: the bytes are left to the garbage collector
}

// newBlock returns a block of data with one holder, the caller.
func newBlock(data []byte, pool *blockPool) *block {
	b := &block{data: data, pool: pool}
	b.refs.Store(1)
	return b
}

// acquire adds a holder, unless the block is dead.
func (b *block) acquire() bool {
	for {
		n := b.refs.Load()
		if n <= 0 {
			return false
		}
		if b.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release drops a holder; the last one recycles the bytes.
func (b *block) release() {
	switch n := b.refs.Add(-1); {
	case n == 0:
		b.pool.put(b.data)
	case n < 0:
		panic("cache: block released more often than acquired")
	}
}

// blockPool keeps a bounded number of free block buffers of one size.
type blockPool struct {
	size int64
	free chan []byte
}

// newBlockPool returns a pool of buffers of size bytes that keeps at most
// keep of them free.
func newBlockPool(size int64, keep int) *blockPool {
	return &blockPool{size: size, free: make(chan []byte, keep)}
}

// get returns a block of n bytes (at most the pool's size) with one
// holder. Its bytes are not zeroed: the caller overwrites them all.
func (p *blockPool) get(n int64) *block {
	select {
	case buf := <-p.free:
		return newBlock(buf[:n], p)
	default:
		return newBlock(make([]byte, n, p.size), p)
	}
}

// put gives a buffer back, or leaves it to the garbage collector when
// enough are free.
func (p *blockPool) put(buf []byte) {
	if p == nil || int64(cap(buf)) != p.size {
		return
	}
	select {
	case p.free <- buf[:cap(buf)]:
	default:
	}
}

// Bytes are bytes read through the cache, possibly a slice of a cached
// block that stays reserved for the reader until Release.
type Bytes struct {
	data []byte
	blk  *block // nil when the bytes are the reader's own
}

// Data returns the bytes; the caller must not modify them, nor use them
// after Release.
func (b Bytes) Data() []byte { return b.data }

// Release ends the reader's use of the bytes. It must be called once.
func (b Bytes) Release() {
	if b.blk != nil {
		b.blk.release()
	}
}
