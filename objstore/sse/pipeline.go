package sse

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Pipelined reads: a range of at least pipelineMin bytes is cut into
// batches of pipelineBatch chunks, decrypted ahead of the writes on
// goroutines of their own. The batches are written in order, each once
// all its chunks have been opened: no byte of a chunk goes out before the
// chunk is authenticated.
//
// The reads in flight share the CPUs: a read alone decrypts on up to
// GOMAXPROCS goroutines (at most maxDecrypters), while with as many reads
// as CPUs each has one, more costing switches and cache and buying
// nothing.
const (
	pipelineBatch = 8                             // chunks per batch
	pipelineMin   = 2 * pipelineBatch * ChunkSize // smallest range pipelined
	maxDecrypters = 4
	spareSlots    = 2 // slots besides one per decrypter
)

// pipelinedReads counts the pipelined reads in flight.
var pipelinedReads atomic.Int64

// errStopped is what a batch gets when its read was stopped before the
// batch was decrypted; the writer never looks at it.
var errStopped = errors.New("read stopped")

// slot is the buffer one batch is read and decrypted in. Its batch's
// decrypter sends on ready once out or err is set.
type slot struct {
	buf   []byte
	out   []byte // the plaintext to write: the start of buf
	err   error
	ready chan struct{}
}

// job asks for batch seq of the range to be decrypted into s.
type job struct {
	seq int64
	s   *slot
}

// pipeline is the decrypting side of one pipelined read.
type pipeline struct {
	r       *Reader
	first   int64 // index of the first chunk of the range
	pos     int64 // range offset the first batch starts at
	batches int64 // how many batches the range holds
	slots   []slot
	jobs    chan job
	stopped atomic.Bool
	wg      sync.WaitGroup
}

// pipelinedWriteTo writes the rest of the range to w, batch by batch, in
// order, the next batches being decrypted meanwhile.
func (r *Reader) pipelinedWriteTo(w io.Writer) (int64, error) {
	if err := r.readHeader(); err != nil {
		return 0, err
	}
	p := r.startPipeline()
	defer p.stop()
	var total int64
	for seq := range p.batches {
		s := &p.slots[seq%int64(len(p.slots))]
		<-s.ready
		if s.err != nil {
			r.err = s.err
			return total, s.err
		}
		n, err := w.Write(s.out)
		total += int64(n)
		r.pos += int64(n)
		if err != nil {
			return total, err
		}
		if next := seq + int64(len(p.slots)); next < p.batches {
			p.jobs <- job{seq: next, s: s}
		}
	}
	return total, nil
}

// startPipeline starts decrypting the first batches of the rest of the
// range, with a slot per decrypter, one for the batch being written and
// one to decrypt ahead into.
func (r *Reader) startPipeline() *pipeline {
	first := r.pos / ChunkSize
	last := min((r.end-1)/ChunkSize, chunks(r.size)-1)
	p := &pipeline{r: r, first: first, pos: r.pos, batches: (last-first)/pipelineBatch + 1}
	reads := pipelinedReads.Add(1)
	decrypters := max(1, min(int64(runtime.GOMAXPROCS(0))/reads, maxDecrypters, p.batches))
	p.slots = make([]slot, min(decrypters+spareSlots, p.batches))
	p.jobs = make(chan job, len(p.slots))
	size := pipelineBatch * (ChunkSize + r.k.overhead())
	for i := range p.slots {
		p.slots[i] = slot{buf: r.bufs.get(size), ready: make(chan struct{}, 1)}
		p.jobs <- job{seq: int64(i), s: &p.slots[i]}
	}
	p.wg.Add(int(decrypters))
	for range decrypters {
		go p.decrypt()
	}
	return p
}

// decrypt decrypts the batches it is given until the jobs end; once the
// read is stopped it only hands the slots back.
func (p *pipeline) decrypt() {
	defer p.wg.Done()
	for j := range p.jobs {
		if p.stopped.Load() {
			j.s.out, j.s.err = nil, errStopped
		} else {
			first := p.first + j.seq*pipelineBatch
			pos := p.pos
			if j.seq > 0 {
				pos = first * ChunkSize
			}
			j.s.out, j.s.err = p.r.decryptBatch(j.s.buf, first, pos)
		}
		j.s.ready <- struct{}{}
	}
}

// stop ends the decrypters, waits for them and gives the buffers back:
// nothing of the read runs once it returns.
func (p *pipeline) stop() {
	p.stopped.Store(true)
	close(p.jobs)
	p.wg.Wait()
	pipelinedReads.Add(-1)
	for i := range p.slots {
		p.r.bufs.put(p.slots[i].buf)
		p.slots[i].buf, p.slots[i].out = nil, nil
	}
}

// decryptBatch reads and opens up to pipelineBatch chunks from index
// first into buf, pos being the range offset the batch starts at, and
// returns the batch's plaintext within the range, gathered at the start
// of buf.
func (r *Reader) decryptBatch(buf []byte, first, pos int64) ([]byte, error) {
	total := chunks(r.size)
	last := min((r.end-1)/ChunkSize, total-1)
	count := min(int64(pipelineBatch), last-first+1)
	stride := int64(ChunkSize + r.k.overhead())
	start := HeaderSize + first*stride
	length := count * stride
	if first+count == total {
		length = EncryptedSize(r.size, r.k.Layers()) - start
	}
	buf = buf[:length]
	if _, err := r.src.ReadAt(buf, start); err != nil {
		return nil, fmt.Errorf("read chunks %d-%d: %w", first, first+count-1, truncated(err))
	}
	if first+count == total {
		if err := r.checkEnd(start + length); err != nil {
			return nil, err
		}
	}
	var size int64 // plaintext gathered at the start of buf
	for i := range count {
		index := first + i
		sealed := buf[i*stride : min((i+1)*stride, length)]
		plain, err := r.k.openChunk(r.h, uint32(index), index == total-1, sealed)
		if err != nil {
			return nil, err
		}
		lo, hi := max(pos-index*ChunkSize, 0), min(int64(len(plain)), r.end-index*ChunkSize)
		if lo >= hi {
			return nil, fmt.Errorf("chunk %d holds %d bytes: %w", index, len(plain), ErrTampered)
		}
		// Move the plaintext up against the last chunk's, over the tags
		// between them, so that the batch goes out in one write.
		size += int64(copy(buf[size:], plain[lo:hi]))
	}
	return buf[:size], nil
}
