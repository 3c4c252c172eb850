package s3client

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cairnfs/cairn/objstore"
)

// spoolMemory is how much of a body of unknown size is held in memory
// before it spills to a temporary file.
const spoolMemory = 8 << 20

// payload is a request body ready for the SDK: its exact length, and
// whether the SDK can rewind it (to hash it, or to retry).
type payload struct {
	body     io.Reader
	size     int64
	seekable bool
	// exact is set when body checks the caller's stream against size;
	// its error explains a failed upload better than the transport's.
	exact *exactReader
	// release frees what buffering the body took (a temporary file).
	release func()
}

// newPayload prepares body for a request. A known size streams as it is
// (rewindable when body is an io.ReadSeeker); an unknown size (-1) is
// buffered first, since S3 needs a Content-Length, and must not pass limit.
func newPayload(body io.Reader, size, limit int64, tempDir string) (*payload, error) {
	if body == nil {
		body = bytes.NewReader(nil)
	}
	switch {
	case size < 0:
		return spool(body, limit, tempDir)
	case size > limit:
		return nil, fmt.Errorf("body of %d bytes (at most %d): %w", size, limit, objstore.ErrEntityTooLarge)
	}
	if rs, ok := body.(io.ReadSeeker); ok {
		if err := checkSeekerLength(rs, size); err != nil {
			return nil, err
		}
		return &payload{body: rs, size: size, seekable: true, release: func() {}}, nil
	}
	ex := &exactReader{r: body, left: size}
	return &payload{body: ex, size: size, exact: ex, release: func() {}}, nil
}

// cause returns the body's own error when the upload failed because of it.
func (p *payload) cause(err error) error {
	if p.exact != nil && p.exact.err != nil && !errors.Is(p.exact.err, io.EOF) {
		return p.exact.err
	}
	return err
}

// checkSeekerLength checks that rs holds exactly size bytes from where it is.
func checkSeekerLength(rs io.ReadSeeker, size int64) error {
	cur, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("seek body: %w", err)
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return fmt.Errorf("seek body: %w", err)
	}
	if _, err := rs.Seek(cur, io.SeekStart); err != nil {
		return fmt.Errorf("seek body: %w", err)
	}
	if n := end - cur; n != size {
		return fmt.Errorf("body holds %d bytes, size says %d: %w", n, size, objstore.ErrIncompleteBody)
	}
	return nil
}

// exactReader passes on exactly left bytes of r and fails when r holds
// fewer or more. It looks for a surplus byte before it hands over the
// last ones, so a too-long body fails before the request is complete and
// the server never stores it.
type exactReader struct {
	r    io.Reader
	left int64
	err  error
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.left == 0 {
		e.err = io.EOF
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case e.left == 0:
		if extra := e.surplus(); extra != nil {
			e.err = extra
			return 0, extra
		}
		return n, nil
	case err == io.EOF:
		e.err = fmt.Errorf("body ended %d bytes short of its size: %w", e.left, objstore.ErrIncompleteBody)
		return n, e.err
	case err != nil:
		e.err = fmt.Errorf("read body: %w", err)
		return n, e.err
	}
	return n, nil
}

// surplus reads past the expected end: nil when the stream ends there.
func (e *exactReader) surplus() error {
	var b [1]byte
	for {
		n, err := e.r.Read(b[:])
		switch {
		case n > 0:
			return fmt.Errorf("body holds more bytes than its size: %w", objstore.ErrIncompleteBody)
		case err == io.EOF:
			return nil
		case err != nil:
			return fmt.Errorf("read body: %w", err)
		}
	}
}

// spool buffers a body of unknown size: in memory while it is small, in an
// unlinked temporary file beyond that. It fails with ErrEntityTooLarge past limit.
func spool(body io.Reader, limit int64, tempDir string) (*payload, error) {
	head, err := io.ReadAll(io.LimitReader(body, min(spoolMemory, limit)+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(head)) <= min(spoolMemory, limit) {
		return &payload{body: bytes.NewReader(head), size: int64(len(head)), seekable: true, release: func() {}}, nil
	}
	f, err := os.CreateTemp(tempDir, "cairn-s3put-*")
	if err != nil {
		return nil, fmt.Errorf("buffer body of unknown size: %w", err)
	}
	release := func() { f.Close(); os.Remove(f.Name()) }
	n, err := io.Copy(f, io.LimitReader(io.MultiReader(bytes.NewReader(head), body), limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("body over %d bytes: %w", limit, objstore.ErrEntityTooLarge)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		release()
		return nil, fmt.Errorf("buffer body of unknown size in %s: %w", f.Name(), err)
	}
	return &payload{body: f, size: n, seekable: true, release: release}, nil
}
