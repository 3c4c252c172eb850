package selectsql

import (
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
)

// decompress unwraps the compression of the object.
func decompress(kind string, r io.Reader) (io.Reader, error) {
	switch kind {
	case "GZIP":
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, requestError("InvalidCompressionFormat", "The object is not GZIP data: %v.", err)
		}
		return &decompressed{r: z, kind: kind}, nil
	case "BZIP2":
		return &decompressed{r: bzip2.NewReader(r), kind: kind}, nil
	}
	return r, nil
}

// decompressed reports damaged compressed data as S3 Select does.
type decompressed struct {
	r    io.Reader
	kind string
}

func (d *decompressed) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, requestError("InvalidCompressionFormat", "The object's %s data is damaged: %v.", d.kind, err)
	}
	return n, err
}

// counter counts bytes; the reader that adds to it may run in a
// goroutine of its own (readahead).
type counter struct{ n atomic.Int64 }

// load is the count so far.
func (c *counter) load() int64 { return c.n.Load() }

type countingReader struct {
	r io.Reader
	c *counter
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.c.n.Add(int64(n))
	return n, err
}

type countingReaderAt struct {
	r io.ReaderAt
	c *counter
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.c.n.Add(int64(n))
	if err != nil && !errors.Is(err, io.EOF) {
		return n, fmt.Errorf("read object at %d: %w", off, err)
	}
	return n, err
}
