package disk

import "sync"

// pipeBuffers is how many buffers a body streams through: one being
// hashed while the next is read and written.
const pipeBuffers = 2

// hashPipe hashes a body's chunks on a goroutine of its own, so that
// hashing (CPU) overlaps reading the body and writing the file (I/O).
type hashPipe struct {
	pool *sync.Pool
	h    *hashes
	work chan []byte
	free chan []byte
	bufs []*[]byte
	done chan struct{}
}

func newHashPipe(pool *sync.Pool, h *hashes) *hashPipe {
	p := &hashPipe{
		pool: pool,
		h:    h,
		work: make(chan []byte, pipeBuffers),
		free: make(chan []byte, pipeBuffers),
		done: make(chan struct{}),
	}
	for range pipeBuffers {
		bp := pool.Get().(*[]byte)
		p.bufs = append(p.bufs, bp)
		p.free <- *bp
	}
	go p.run()
	return p
}

func (p *hashPipe) run() {
	defer close(p.done)
	for b := range p.work {
		p.h.Write(b)
		p.free <- b[:cap(b)]
	}
}

// buffer returns a buffer to read the next chunk into, once the hasher
// is done with it.
func (p *hashPipe) buffer() []byte { return <-p.free }

// hash hands a chunk to the hasher; its buffer comes back from buffer.
func (p *hashPipe) hash(b []byte) { p.work <- b }

// recycle gives back a buffer that holds nothing to hash.
func (p *hashPipe) recycle(b []byte) { p.free <- b[:cap(b)] }

// finish waits until every chunk handed over is hashed and returns the
// buffers to the pool. It must be called exactly once.
func (p *hashPipe) finish() {
	close(p.work)
	<-p.done
	for _, bp := range p.bufs {
		p.pool.Put(bp)
	}
}
