package s3client

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cairnfs/cairn/objstore"
)

// TestExactReaderPassesExactBodies hands over a body of the declared size
// whole, however the source splits its reads.
func TestExactReaderPassesExactBodies(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	r := &exactReader{r: iotest.OneByteReader(bytes.NewReader(data)), left: int64(len(data))}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, err %v; want %d bytes", len(got), err, len(data))
	}
}

// TestExactReaderRefusesShortBodies fails a body that ends early.
func TestExactReaderRefusesShortBodies(t *testing.T) {
	r := &exactReader{r: strings.NewReader("12345"), left: 10}
	_, err := io.ReadAll(r)
	if !errors.Is(err, objstore.ErrIncompleteBody) {
		t.Fatalf("short body: %v, want IncompleteBody", err)
	}
}

// TestExactReaderHoldsBackTheEndOfLongBodies fails a body with a surplus
// before it hands over its last declared bytes, so that a request carrying
// it never completes.
func TestExactReaderHoldsBackTheEndOfLongBodies(t *testing.T) {
	r := &exactReader{r: strings.NewReader("0123456789X"), left: 10}
	var got []byte
	buf := make([]byte, 4)
	var err error
	for err == nil {
		var n int
		n, err = r.Read(buf)
		got = append(got, buf[:n]...)
	}
	if !errors.Is(err, objstore.ErrIncompleteBody) {
		t.Fatalf("long body: %v, want IncompleteBody", err)
	}
	if len(got) >= 10 {
		t.Fatalf("all %d declared bytes were handed over before the surplus was found", len(got))
	}
}

// TestExactReaderPassesReadErrors reports the source's own failure.
func TestExactReaderPassesReadErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	r := &exactReader{r: io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), left: 10}
	if _, err := io.ReadAll(r); !errors.Is(err, boom) {
		t.Fatalf("read error: %v, want %v", err, boom)
	}
}

// TestPayloadOfSeekableBody checks a seekable body's length without
// reading it and keeps it rewindable.
func TestPayloadOfSeekableBody(t *testing.T) {
	p, err := newPayload(strings.NewReader("hello"), 5, 100, t.TempDir())
	if err != nil || !p.seekable || p.size != 5 {
		t.Fatalf("payload %+v, err %v", p, err)
	}
	for _, size := range []int64{4, 6} {
		if _, err := newPayload(strings.NewReader("hello"), size, 100, t.TempDir()); !errors.Is(err, objstore.ErrIncompleteBody) {
			t.Errorf("5-byte body of size %d: %v, want IncompleteBody", size, err)
		}
	}
	if _, err := newPayload(strings.NewReader("hello"), 200, 100, t.TempDir()); !errors.Is(err, objstore.ErrEntityTooLarge) {
		t.Errorf("size over the limit: %v, want EntityTooLarge", err)
	}
}

// TestSpoolSmallBodyInMemory buffers a small body of unknown size without
// a temporary file.
func TestSpoolSmallBodyInMemory(t *testing.T) {
	dir := t.TempDir()
	p, err := newPayload(iotest.HalfReader(strings.NewReader("small body")), -1, 1<<20, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer p.release()
	if p.size != 10 || !p.seekable {
		t.Fatalf("payload size %d seekable %v", p.size, p.seekable)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("temporary files for a small body: %v", entries)
	}
}

// TestSpoolLargeBodyToFile spills a body past the memory share to a
// temporary file that release removes.
func TestSpoolLargeBodyToFile(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("x"), spoolMemory+12345)
	p, err := newPayload(iotest.OneByteReader(bytes.NewReader(data)), -1, 1<<30, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.size != int64(len(data)) || !p.seekable {
		t.Fatalf("payload size %d seekable %v", p.size, p.seekable)
	}
	got, err := io.ReadAll(p.body)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("spooled body differs (%d bytes, err %v)", len(got), err)
	}
	p.release()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("temporary files left after release: %v", entries)
	}
}

// TestSpoolRefusesBodiesOverTheLimit fails with EntityTooLarge and leaves
// no file behind.
func TestSpoolRefusesBodiesOverTheLimit(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{101, spoolMemory + 10} {
		limit := int64(n - 1)
		_, err := newPayload(bytes.NewReader(make([]byte, n)), -1, limit, dir)
		if !errors.Is(err, objstore.ErrEntityTooLarge) {
			t.Errorf("%d bytes over a %d limit: %v, want EntityTooLarge", n, limit, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}
}
