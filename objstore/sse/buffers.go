package sse

import "sync"

// Buffers recycles the buffers Readers read sealed chunks into, from one
// read to the next. The zero value is ready to use; a nil *Buffers
// allocates afresh every time.
type Buffers struct {
	pool sync.Pool
}

// get returns a buffer of n bytes.
func (b *Buffers) get(n int) []byte {
	if b != nil {
		if p, ok := b.pool.Get().(*[]byte); ok && cap(*p) >= n {
			return (*p)[:n]
		}
	}
	return make([]byte, n)
}

// put gives a buffer back for a later get.
func (b *Buffers) put(buf []byte) {
	if b != nil && cap(buf) > 0 {
		buf = buf[:0]
		b.pool.Put(&buf)
	}
}
