package sse

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Writer encrypts what is written to it into the chunked format. The
// last chunk is sealed by Close, which must be called.
type Writer struct {
	w       io.Writer
	k       *DataKey
	h       header
	pending []byte // plaintext of the chunk being filled
	out     []byte // sealed chunks waiting to be written
	index   uint32
	started bool
	closed  bool
}

// NewWriter returns a Writer that encrypts into w under k with a fresh
// random nonce prefix.
func NewWriter(w io.Writer, k *DataKey) (*Writer, error) {
	var prefix [8]byte
	if _, err := rand.Read(prefix[:]); err != nil {
		return nil, fmt.Errorf("nonce prefix: %w", err)
	}
	return &Writer{w: w, k: k, h: newHeader(k.Layers(), prefix), pending: make([]byte, 0, ChunkSize)}, nil
}

// Write encrypts p. A full chunk is sealed only once more data follows
// it, since the last chunk is sealed differently.
func (w *Writer) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errors.New("write to a closed encrypting writer")
	}
	n := len(p)
	// Room for every chunk this write may seal, so that sealing never
	// grows the buffer piecemeal.
	full := (len(w.pending) + len(p)) / ChunkSize
	w.out = slices.Grow(w.out[:0], HeaderSize+full*(ChunkSize+w.k.overhead()))
	for len(p) > 0 {
		if len(w.pending) == ChunkSize {
			if err := w.seal(false); err != nil {
				return 0, err
			}
		}
		k := copy(w.pending[len(w.pending):ChunkSize], p)
		w.pending = w.pending[:len(w.pending)+k]
		p = p[k:]
	}
	return n, w.flush()
}

// seal seals the pending chunk into the output buffer.
func (w *Writer) seal(last bool) error {
	if w.index == math.MaxUint32 {
		return errors.New("encrypted data too long")
	}
	if !w.started {
		w.out = append(w.out, w.h[:]...)
		w.started = true
	}
	w.out = w.k.sealChunk(w.out, &w.h, w.index, last, w.pending)
	w.pending = w.pending[:0]
	w.index++
	return nil
}

func (w *Writer) flush() error {
	if len(w.out) == 0 {
		return nil
	}
	_, err := w.w.Write(w.out)
	w.out = w.out[:0]
	return err
}

// Close seals the last chunk and writes what is left. It does not close
// the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	w.out = slices.Grow(w.out[:0], HeaderSize+len(w.pending)+w.k.overhead())
	if err := w.seal(true); err != nil {
		return err
	}
	return w.flush()
}

// Encrypt returns plain encrypted under k, whole.
func Encrypt(k *DataKey, plain []byte) ([]byte, error) {
	buf := &sliceWriter{b: make([]byte, 0, EncryptedSize(int64(len(plain)), k.Layers()))}
	w, err := NewWriter(buf, k)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.b, nil
}

type sliceWriter struct{ b []byte }

func (s *sliceWriter) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}
