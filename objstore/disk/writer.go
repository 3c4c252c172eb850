package disk

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// bufSize is the size of the buffers bodies stream through.
const bufSize = 1 << 20

// writeSpec says how to take in a body.
type writeSpec struct {
	size        int64 // exact length, or -1 when unknown
	max         int64 // largest length accepted (ErrEntityTooLarge above)
	inlineBelow int64 // bodies shorter than this stay in memory; 0: never
	contentMD5  []byte
	checksum    *objstore.Checksum // algorithm to compute, value to verify
	key         *sse.DataKey       // encrypts the data at rest, when set
}

// stored is a body taken in: in memory (inline) or in an in-flight file.
type stored struct {
	inline   []byte
	isInline bool
	id       fileID
	size     int64
	md5      []byte
	checksum string // base64, when an algorithm was asked for
}

// hashes computes the MD5 and the optional additional checksum of a body.
type hashes struct {
	md5 hash.Hash
	alt hash.Hash
}

func newHashes(c *objstore.Checksum) (*hashes, error) {
	h := &hashes{md5: md5.New()}
	if c != nil {
		alt, err := c.Algorithm.NewHash()
		if err != nil {
			return nil, err
		}
		h.alt = alt
	}
	return h, nil
}

func (h *hashes) Write(p []byte) (int, error) {
	h.md5.Write(p)
	if h.alt != nil {
		h.alt.Write(p)
	}
	return len(p), nil
}

// verify compares the digests with what the writer promised.
func (h *hashes) verify(spec *writeSpec, st *stored) error {
	st.md5 = h.md5.Sum(nil)
	if spec.contentMD5 != nil && string(spec.contentMD5) != string(st.md5) {
		return fmt.Errorf("content-md5 %s, body has %s: %w",
			base64.StdEncoding.EncodeToString(spec.contentMD5), base64.StdEncoding.EncodeToString(st.md5), objstore.ErrBadDigest)
	}
	if h.alt == nil {
		return nil
	}
	st.checksum = objstore.EncodeChecksum(h.alt.Sum(nil))
	if v := spec.checksum.Value; v != "" && v != st.checksum {
		return fmt.Errorf("%s checksum %s, body has %s: %w", spec.checksum.Algorithm, v, st.checksum, objstore.ErrBadDigest)
	}
	return nil
}

// writeBody takes in a body: small ones in memory, others streamed into a
// new data file while hashing, then fsynced with their folder. On success
// a file is left in flight for the caller to commit or discard; on
// failure nothing is left behind.
func (s *Store) writeBody(ctx context.Context, r io.Reader, spec writeSpec) (*stored, error) {
	if spec.size > spec.max {
		return nil, fmt.Errorf("body of %d bytes (at most %d): %w", spec.size, spec.max, objstore.ErrEntityTooLarge)
	}
	h, err := newHashes(spec.checksum)
	if err != nil {
		return nil, err
	}
	head, done, err := readHead(r, spec)
	if err != nil {
		return nil, err
	}
	if done {
		h.Write(head)
		st := &stored{inline: head, isInline: true, size: int64(len(head))}
		if err := h.verify(&spec, st); err != nil {
			return nil, err
		}
		return st, sealInline(st, spec.key)
	}
	return s.writeFile(ctx, r, head, h, spec)
}

// readHead reads a body whole when it is short enough to stay inline
// (done), or else its first bytes, which may be none.
func readHead(r io.Reader, spec writeSpec) (head []byte, done bool, err error) {
	switch {
	case spec.inlineBelow <= 0 || spec.size >= spec.inlineBelow:
		return nil, false, nil
	case spec.size >= 0:
		head = make([]byte, spec.size)
		if _, err := io.ReadFull(r, head); err != nil {
			return nil, false, bodyError(err, spec.size)
		}
		return head, true, checkEnd(r, spec.size)
	}
	head = make([]byte, spec.inlineBelow)
	n, err := fill(r, head)
	switch {
	case err == io.EOF:
		return head[:n], true, nil
	case err != nil:
		return nil, false, fmt.Errorf("read body: %w", err)
	}
	return head, false, nil
}

// fill reads until buf is full or r fails. Unlike io.ReadFull it reports
// r's error as it is: io.EOF only for a clean end of the body, so that a
// body of unknown length cut short by io.ErrUnexpectedEOF fails.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// bodyError explains a short or failed read of a body of known size.
func bodyError(err error, size int64) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("body shorter than its %d bytes: %w", size, objstore.ErrIncompleteBody)
	}
	return fmt.Errorf("read body: %w", err)
}

// checkEnd makes sure a body of known size holds no more bytes: a longer
// body fails rather than being cut short silently. (It also lets readers
// that verify trailers at EOF, like aws-chunked decoders, do so.)
func checkEnd(r io.Reader, size int64) error {
	var one [1]byte
	n, err := io.ReadFull(r, one[:])
	switch {
	case n > 0:
		return fmt.Errorf("body longer than its %d bytes: %w", size, objstore.ErrIncompleteBody)
	case errors.Is(err, io.EOF):
		return nil
	}
	return fmt.Errorf("read body: %w", err)
}

// writeFile streams head and the rest of r into a new data file.
func (s *Store) writeFile(ctx context.Context, r io.Reader, head []byte, h *hashes, spec writeSpec) (st *stored, err error) {
	id, f, err := s.files.create()
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			s.files.discard(id)
		}
	}()
	w, err := encryptTo(f, spec.key)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			w.Close() // stops the encryption; the file is discarded
		}
	}()
	h.Write(head)
	if _, err := w.Write(head); err != nil {
		return nil, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	n, err := copyBody(ctx, &s.files.bufs, f, w, r, h, int64(len(head)), spec)
	if err != nil {
		return nil, err
	}
	st = &stored{id: id, size: n}
	if err := h.verify(&spec, st); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err := syncClose(f); err != nil {
		return nil, err
	}
	return st, syncDir(s.layout.fanout(id[0]))
}

// copyBody copies the rest of a body (after done bytes) into f and
// returns the body's total length. Reading and writing run here while a
// second goroutine hashes, and every chunk written is handed to the disk
// at once, so that hashing, writing and the final fsync overlap.
func copyBody(ctx context.Context, pool *sync.Pool, f *os.File, w io.Writer, r io.Reader, h *hashes, done int64, spec writeSpec) (int64, error) {
	p := newHashPipe(pool, h)
	defer p.finish()
	for spec.size < 0 || done < spec.size {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		buf := p.buffer()
		want := int64(len(buf))
		if spec.size >= 0 {
			want = min(want, spec.size-done)
		}
		n, rerr := fill(r, buf[:want])
		if err := writeChunk(f, w, buf[:n], done, spec.max); err != nil {
			p.recycle(buf)
			return done, err
		}
		p.hash(buf[:n])
		done += int64(n)
		switch {
		case rerr == nil:
		case rerr == io.EOF && (spec.size < 0 || done == spec.size):
			return done, nil
		default:
			return done, bodyError(rerr, spec.size)
		}
	}
	return done, checkEnd(r, spec.size)
}

// writeChunk writes the chunk of a body found at offset off to w, which
// writes to f (or encrypts into it).
func writeChunk(f *os.File, w io.Writer, b []byte, off, max int64) error {
	if len(b) == 0 {
		return nil
	}
	if off+int64(len(b)) > max {
		return fmt.Errorf("body of more than %d bytes: %w", max, objstore.ErrEntityTooLarge)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	startWriteback(f, off, int64(len(b)))
	return nil
}

func syncClose(f *os.File) error {
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return nil
}
