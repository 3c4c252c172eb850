package sse

import (
	"errors"
	"io"
)

// pipeDepth is how many writes a PipeWriter holds while it encrypts.
const pipeDepth = 2

// PipeWriter encrypts on a goroutine of its own what is written to it,
// so that encrypting overlaps reading the next bytes. It copies each
// write, so the caller may reuse its buffer at once. Close must be
// called: it waits for the encryption to end and seals the last chunk.
type PipeWriter struct {
	w      *Writer
	work   chan []byte
	free   chan []byte
	done   chan struct{}
	failed chan struct{} // closed once err is set
	err    error
	closed bool
}

// NewPipeWriter runs w on a goroutine of its own.
func NewPipeWriter(w *Writer) *PipeWriter {
	p := &PipeWriter{
		w: w, work: make(chan []byte, pipeDepth), free: make(chan []byte, pipeDepth),
		done: make(chan struct{}), failed: make(chan struct{}),
	}
	for range pipeDepth {
		p.free <- nil
	}
	go p.run()
	return p
}

func (p *PipeWriter) run() {
	defer close(p.done)
	for b := range p.work {
		if p.err == nil {
			if _, err := p.w.Write(b); err != nil {
				p.err = err
				close(p.failed)
			}
		}
		p.free <- b
	}
}

// Write hands a copy of b to the encrypting goroutine. It fails once an
// earlier write has.
func (p *PipeWriter) Write(b []byte) (int, error) {
	if p.closed {
		return 0, errors.New("write to a closed encrypting writer")
	}
	var buf []byte
	select {
	case <-p.failed:
		return 0, p.err
	case buf = <-p.free:
	}
	p.work <- append(buf[:0], b...)
	return len(b), nil
}

// Close waits for what was written to be encrypted and seals the end.
func (p *PipeWriter) Close() error {
	if p.closed {
		return nil
	}
	p.closed = true
	close(p.work)
	<-p.done
	if p.err != nil {
		return p.err
	}
	return p.w.Close()
}

var _ io.WriteCloser = (*PipeWriter)(nil)
