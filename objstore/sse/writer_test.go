package sse

import (
	"bytes"
	"errors"
	"testing"
)

func TestPipeWriter(t *testing.T) {
	k := testKey(t, 1)
	plain := randomBytes(3*ChunkSize + 9)
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, k)
	p := NewPipeWriter(w)
	scratch := make([]byte, 10000)
	for rest := plain; len(rest) > 0; {
		n := copy(scratch, rest)
		p.Write(scratch[:n])
		clear(scratch) // the writer keeps its own copy
		rest = rest[n:]
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := Decrypt(k, buf.Bytes(), int64(len(plain)))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("through the pipe: round trip differs (err %v)", err)
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestPipeWriterReportsFailure(t *testing.T) {
	w, _ := NewWriter(failingWriter{}, testKey(t, 1))
	p := NewPipeWriter(w)
	var err error
	for range 100 {
		if _, err = p.Write(make([]byte, ChunkSize+1)); err != nil {
			break
		}
	}
	if cerr := p.Close(); !errors.Is(cerr, errDiskFull) && !errors.Is(err, errDiskFull) {
		t.Fatalf("a failing destination: write %v, close %v", err, cerr)
	}
}
