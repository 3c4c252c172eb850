package sse

import (
	"errors"
	"fmt"
	"io"
)

// readBatch is how many chunks a Reader reads from its source at once.
const readBatch = 2

// Reader decrypts a byte range of data in the chunked format, reading
// and opening only the chunks the range touches.
type Reader struct {
	src   io.ReaderAt
	k     *DataKey
	size  int64 // plaintext size of the whole data
	pos   int64 // next plaintext offset to hand out
	end   int64
	h     *header
	buf   []byte // sealed chunks read, decrypted in place
	plain []byte // decrypted bytes of the current chunk not yet handed out
	// next is the index of the next chunk to open from buf; bufFirst the
	// index of buf's first chunk, bufCount how many it holds.
	next, bufFirst, bufCount int64
	err                      error
	bufs                     *Buffers
}

// NewReader returns a Reader of the plaintext bytes [off, off+n) of data
// stored in src, whose whole plaintext is size bytes long.
func NewReader(src io.ReaderAt, k *DataKey, size, off, n int64) (*Reader, error) {
	if off < 0 || n < 0 || off+n > size {
		return nil, fmt.Errorf("range %d+%d of %d bytes", off, n, size)
	}
	return &Reader{src: src, k: k, size: size, pos: off, end: off + n, next: off / ChunkSize}, nil
}

// Recycle makes the Reader take its buffers from bufs, and give them
// back on Release.
func (r *Reader) Recycle(bufs *Buffers) { r.bufs = bufs }

// Release gives the Reader's buffer back; the Reader is not used after.
func (r *Reader) Release() {
	r.bufs.put(r.buf)
	r.buf, r.plain = nil, nil
	r.err = errors.New("read of a released reader")
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	if r.pos >= r.end {
		return 0, io.EOF
	}
	if len(r.plain) == 0 {
		if err := r.advance(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	r.pos += int64(n)
	return n, nil
}

// WriteTo implements io.WriterTo, chunk by chunk; a long range is
// decrypted ahead of the writes on a second goroutine.
func (r *Reader) WriteTo(w io.Writer) (int64, error) {
	if len(r.plain) == 0 && r.err == nil && r.end-r.pos >= pipelineMin {
		return r.pipelinedWriteTo(w)
	}
	var total int64
	for r.pos < r.end {
		if len(r.plain) == 0 {
			if err := r.advance(); err != nil {
				return total, err
			}
		}
		n, err := w.Write(r.plain)
		total += int64(n)
		r.pos += int64(n)
		r.plain = r.plain[n:]
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// advance decrypts the chunk holding r.pos into r.plain.
func (r *Reader) advance() error {
	if r.err != nil {
		return r.err
	}
	if err := r.load(); err != nil {
		r.err = err
		return err
	}
	index := r.next
	slot := int(index - r.bufFirst)
	stride := ChunkSize + r.k.overhead()
	sealed := r.buf[slot*stride : min((slot+1)*stride, len(r.buf))]
	plain, err := r.k.openChunk(r.h, uint32(index), index == chunks(r.size)-1, sealed)
	if err != nil {
		r.err = err
		return err
	}
	r.next++
	within := r.pos - index*ChunkSize
	if within >= int64(len(plain)) {
		r.err = fmt.Errorf("chunk %d holds %d bytes: %w", index, len(plain), ErrTampered)
		return r.err
	}
	r.plain = plain[within:min(int64(len(plain)), r.end-index*ChunkSize)]
	if len(r.plain) == 0 {
		r.err = fmt.Errorf("chunk %d holds %d bytes: %w", index, len(plain), ErrTampered)
		return r.err
	}
	return nil
}

// load makes sure buf holds chunk r.next, reading the header first.
func (r *Reader) load() error {
	if err := r.readHeader(); err != nil {
		return err
	}
	if r.next >= r.bufFirst && r.next < r.bufFirst+r.bufCount {
		return nil
	}
	total := chunks(r.size)
	lastNeeded := min((r.end-1)/ChunkSize, total-1)
	count := min(int64(readBatch), lastNeeded-r.next+1)
	stride := int64(ChunkSize + r.k.overhead())
	start := HeaderSize + r.next*stride
	length := count * stride
	if r.next+count == total {
		length = EncryptedSize(r.size, r.k.Layers()) - start
	}
	if int64(cap(r.buf)) < length {
		r.bufs.put(r.buf)
		r.buf = r.bufs.get(int(length))
	}
	r.buf = r.buf[:length]
	if _, err := r.src.ReadAt(r.buf, start); err != nil {
		return fmt.Errorf("read chunks %d-%d: %w", r.next, r.next+count-1, truncated(err))
	}
	if r.next+count == total {
		if err := r.checkEnd(start + length); err != nil {
			return err
		}
	}
	r.bufFirst, r.bufCount = r.next, count
	return nil
}

// readHeader reads and checks the header, once.
func (r *Reader) readHeader() error {
	if r.h != nil {
		return nil
	}
	var h header
	if _, err := r.src.ReadAt(h[:], 0); err != nil {
		return fmt.Errorf("read header: %w", truncated(err))
	}
	if err := h.check(r.k); err != nil {
		return fmt.Errorf("%v: %w", err, ErrTampered)
	}
	r.h = &h
	return nil
}

// checkEnd makes sure nothing follows the last chunk.
func (r *Reader) checkEnd(off int64) error {
	var one [1]byte
	n, err := r.src.ReadAt(one[:], off)
	if n > 0 {
		return fmt.Errorf("bytes after the last chunk: %w", ErrTampered)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read data end: %w", err)
	}
	return nil
}

// truncated turns a short read into ErrTampered.
func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("data cut short: %w", ErrTampered)
	}
	return err
}

// Decrypt returns the whole plaintext, size bytes, of data encrypted
// under k.
func Decrypt(k *DataKey, data []byte, size int64) ([]byte, error) {
	if want := EncryptedSize(size, k.Layers()); int64(len(data)) != want {
		return nil, fmt.Errorf("encrypted data of %d bytes, want %d: %w", len(data), want, ErrTampered)
	}
	r, err := NewReader(bytesReaderAt(data), k, size, 0, size)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, size)
	w := &sliceWriter{b: out}
	if _, err := r.WriteTo(w); err != nil {
		return nil, err
	}
	return w.b, nil
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
