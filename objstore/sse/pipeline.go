package sse

import (
	"fmt"
	"io"
)

// Pipelined reads: a range of more than pipelineMin bytes is decrypted
// on a goroutine of its own, a batch ahead of the one being written, so
// that decrypting overlaps sending.
const (
	pipelineBatch = 8                             // chunks per batch
	pipelineDepth = 3                             // batches in flight
	pipelineMin   = 2 * pipelineBatch * ChunkSize // smallest range pipelined
)

// batch is a run of decrypted chunks: the plaintext to write, gathered
// in the buffer it was decrypted in.
type batch struct {
	buf    []byte
	pieces [][]byte
	chunks int64 // how many chunks the pieces hold
	err    error
}

// pipelinedWriteTo writes the rest of the range to w, decrypting ahead.
func (r *Reader) pipelinedWriteTo(w io.Writer) (int64, error) {
	if err := r.readHeader(); err != nil {
		return 0, err
	}
	free := make(chan []byte, pipelineDepth)
	bufs := make([][]byte, pipelineDepth)
	for i := range bufs {
		bufs[i] = r.bufs.get(pipelineBatch * (ChunkSize + r.k.overhead()))
		free <- bufs[i]
	}
	out := make(chan batch, pipelineDepth)
	stop := make(chan struct{})
	go r.decryptAhead(free, out, stop)
	defer func() {
		close(stop)
		for range out {
		}
		// The goroutine has ended: nothing uses the buffers any more.
		for _, b := range bufs {
			r.bufs.put(b)
		}
	}()
	var total int64
	for b := range out {
		if b.err != nil {
			r.err = b.err
			return total, b.err
		}
		for _, p := range b.pieces {
			n, err := w.Write(p)
			total += int64(n)
			r.pos += int64(n)
			if err != nil {
				return total, err
			}
		}
		free <- b.buf
	}
	return total, nil
}

// decryptAhead decrypts the range batch by batch into free buffers and
// sends them on out, which it closes at the end, at the first error or
// when stop closes.
func (r *Reader) decryptAhead(free chan []byte, out chan<- batch, stop <-chan struct{}) {
	defer close(out)
	pos, next := r.pos, r.pos/ChunkSize
	for pos < r.end {
		var buf []byte
		select {
		case buf = <-free:
		case <-stop:
			return
		}
		b := r.decryptBatch(buf, next, pos)
		select {
		case out <- b:
		case <-stop:
			return
		}
		if b.err != nil {
			return
		}
		for _, p := range b.pieces {
			pos += int64(len(p))
		}
		next += b.chunks
	}
}

// decryptBatch reads and opens up to pipelineBatch chunks from index
// first into buf; pos is the range offset the batch starts at.
func (r *Reader) decryptBatch(buf []byte, first, pos int64) batch {
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
	b := batch{buf: buf[:cap(buf)]}
	if _, err := r.src.ReadAt(buf, start); err != nil {
		b.err = fmt.Errorf("read chunks %d-%d: %w", first, first+count-1, truncated(err))
		return b
	}
	if first+count == total {
		if b.err = r.checkEnd(start + length); b.err != nil {
			return b
		}
	}
	var size int64 // plaintext gathered at the start of buf
	for i := range count {
		index := first + i
		sealed := buf[i*stride : min((i+1)*stride, length)]
		plain, err := r.k.openChunk(r.h, uint32(index), index == total-1, sealed)
		if err != nil {
			b.err = err
			return b
		}
		lo, hi := max(pos-index*ChunkSize, 0), min(int64(len(plain)), r.end-index*ChunkSize)
		if lo >= hi {
			b.err = fmt.Errorf("chunk %d holds %d bytes: %w", index, len(plain), ErrTampered)
			return b
		}
		// Move the plaintext up against the last chunk's, over the tags
		// between them, so that the batch goes out in one write.
		size += int64(copy(buf[size:], plain[lo:hi]))
	}
	b.pieces, b.chunks = [][]byte{buf[:size]}, count
	return b
}
