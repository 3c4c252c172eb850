package selectsql

import (
	"io"
	"sync"
)

// Sizes of the readahead: chunks of aheadChunk bytes, aheadDepth of them
// read before the scan asks.
const (
	aheadChunk = 1 << 20
	aheadDepth = 2
)

// readahead reads its source in a goroutine of its own, ahead of the
// scan: the store's reads and decompression run beside the parsing and
// evaluation of what came before. Close stops the goroutine once its
// current read returns (closing the source ends a read that blocks).
type readahead struct {
	chunks chan chunk
	free   chan []byte
	done   chan struct{}
	once   sync.Once
	// exited is closed when the goroutine returns.
	exited chan struct{}
	// buf is the chunk being read, cur what is left of it, err what came
	// after it.
	buf, cur []byte
	err      error
}

// chunk is a read of up to aheadChunk bytes and the error that ended it.
type chunk struct {
	b   []byte
	err error
}

func newReadahead(r io.Reader) *readahead {
	ra := &readahead{
		chunks: make(chan chunk, aheadDepth),
		free:   make(chan []byte, aheadDepth+1),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	go ra.fill(r)
	return ra
}

// fill reads chunks until the source ends, fails or Close is called.
func (ra *readahead) fill(r io.Reader) {
	defer close(ra.exited)
	for n := 0; ; n++ {
		var buf []byte
		if n <= aheadDepth {
			buf = make([]byte, aheadChunk) // the pool fills as it goes
		} else {
			select {
			case buf = <-ra.free:
			case <-ra.done:
				return
			}
		}
		got, err := readChunk(r, buf)
		select {
		case ra.chunks <- chunk{b: buf[:got], err: err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// readChunk reads until buf is full or r returns an error, which it
// passes on as it is.
func readChunk(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Read copies from the chunks in the order they were read; a chunk's
// error comes after its bytes.
func (ra *readahead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)] // never blocks: free holds every buffer
			ra.buf = nil
		}
		c := <-ra.chunks
		ra.buf, ra.cur, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops the goroutine; it does not close the source.
func (ra *readahead) Close() error {
	ra.once.Do(func() { close(ra.done) })
	return nil
}
