package selectsql

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// dribble returns at most n bytes a read, then err.
type dribble struct {
	data []byte
	n    int
	err  error
}

func (d *dribble) Read(p []byte) (int, error) {
	if len(d.data) == 0 {
		return 0, d.err
	}
	k := copy(p[:min(len(p), d.n)], d.data)
	d.data = d.data[k:]
	return k, nil
}

// endless is a source that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

func TestReadaheadCopiesSource(t *testing.T) {
	data := make([]byte, 3*aheadChunk+12345)
	for i := range data {
		data[i] = byte(i * 7)
	}
	ra := newReadahead(&dribble{data: data, n: 4000, err: io.EOF})
	defer ra.Close()
	got, err := io.ReadAll(ra)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes that differ from the %d of the source", len(got), len(data))
	}
}

func TestReadaheadPassesErrorAfterBytes(t *testing.T) {
	boom := errors.New("damaged")
	data := bytes.Repeat([]byte("x"), aheadChunk+10)
	ra := newReadahead(&dribble{data: data, n: 1 << 16, err: boom})
	defer ra.Close()
	got, err := io.ReadAll(ra)
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if len(got) != len(data) {
		t.Fatalf("read %d bytes before the error, want %d", len(got), len(data))
	}
}

func TestReadaheadCloseStopsReading(t *testing.T) {
	ra := newReadahead(endless{})
	buf := make([]byte, 10)
	if _, err := io.ReadFull(ra, buf); err != nil {
		t.Fatal(err)
	}
	ra.Close()
	<-ra.exited // the goroutine returns rather than reading on
}
