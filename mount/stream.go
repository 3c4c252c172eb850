package mount

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// stream uploads the parts of a file written in order from its start
// while it is being written, so that closing a large new file only
// sends its tail. It is a multipart upload whose parts all have one
// size; the last, shorter one is sent at the end. The writes made once
// it started go through it (see write): the part they fill is held in
// memory, when the mount has a buffer free, and sent from there.
type stream struct {
	fsys *FS
	f    *os.File
	key  string
	id   string
	ps   int64             // part size
	next int64             // where the next part starts
	meta map[string]string // metadata the upload was created with
	sem  chan struct{}     // bounds the parts in flight
	wg   sync.WaitGroup

	mem *partMem    // lends the buffers of parts held in memory
	cur []byte      // the part from next as written so far; nil: not held
	dio *directFile // O_DIRECT writes of what cur holds; nil: none

	mu    sync.Mutex
	parts []objstore.CompletedPart
	err   error
}

// startStream creates the multipart upload of a file being written.
func (f *FS) startStream(ctx context.Context, file *os.File, key string, a attrs) (*stream, error) {
	meta := a.userMetadata()
	po := objstore.PutOptions{Size: -1, ObjectMeta: objstore.ObjectMeta{ContentType: contentType(key), UserMetadata: meta}}
	id, err := f.store.CreateMultipartUpload(ctx, f.opts.Bucket, key, po)
	if err != nil {
		return nil, fmt.Errorf("create multipart upload %s: %w", key, err)
	}
	s := &stream{fsys: f, f: file, key: key, id: id, ps: f.opts.PartSize, meta: meta,
		sem: make(chan struct{}, f.opts.UploadConcurrency), mem: f.journal.mem}
	if s.ps%directAlign == 0 {
		s.dio = openDirect(file.Name())
	}
	return s, nil
}

// write writes p at off, the end of the file, to the staged file and
// sends each part it completes. A part written from its start is held
// in memory too, when a buffer is free: it is sent from there, and what
// is aligned of it goes to the staged file with O_DIRECT, bypassing the
// page cache that neither the upload nor, usually, anyone else reads.
func (s *stream) write(p []byte, off int64) (int, error) {
	done := 0
	for done < len(p) {
		if s.cur == nil && off == s.next {
			s.cur = s.mem.take(s.ps)
		}
		n := int(min(int64(len(p)-done), s.next+s.ps-off))
		if err := s.writePiece(p[done:done+n], off); err != nil {
			return done, err
		}
		done += n
		off += int64(n)
		if !s.pump(off) {
			// Past the last part: the caller drops the upload.
			k, err := s.f.WriteAt(p[done:], off)
			return done + k, err
		}
	}
	return done, nil
}

// writePiece writes p, which ends at or before the end of the part from
// next, at off.
func (s *stream) writePiece(p []byte, off int64) error {
	if s.cur != nil && off-s.next != int64(len(s.cur)) {
		s.dropCur() // not where the part held stops: send it from the file
	}
	if s.cur != nil {
		at := len(s.cur)
		s.cur = append(s.cur, p...)
		if s.dio != nil && aligned(s.cur[at:], off) {
			_, err := s.dio.writeAt(s.cur[at:], off)
			if !errors.Is(err, errNotDirect) {
				return err
			}
			s.dio.close()
			s.dio = nil
		}
	}
	if _, err := s.f.WriteAt(p, off); err != nil {
		return fmt.Errorf("write staged file: %w", err)
	}
	return nil
}

// dropCur gives back the buffer of the part held in memory; the part
// goes from the staged file.
func (s *stream) dropCur() {
	if s.cur != nil {
		s.mem.give(s.cur)
		s.cur = nil
	}
}

// pump starts uploading every whole part below size; it waits while
// UploadConcurrency parts are in flight. It reports false once the file
// has outgrown the parts an upload may have.
func (s *stream) pump(size int64) bool {
	for size-s.next >= s.ps {
		num := int(s.next/s.ps) + 1
		if num > objstore.MaxPartNumber {
			return false
		}
		s.sendNext(num, s.ps)
		s.next += s.ps
	}
	return true
}

// sendNext uploads the n bytes from next as part num in the background:
// from memory when they are all held there, else from the staged file.
func (s *stream) sendNext(num int, n int64) {
	if s.cur != nil && int64(len(s.cur)) == n {
		buf := s.cur
		s.cur = nil
		s.send(num, bytes.NewReader(buf), n, func() { s.mem.give(buf) })
		return
	}
	s.dropCur()
	s.send(num, io.NewSectionReader(s.f, s.next, n), n, func() {})
}

// send uploads the n bytes of body as part num in the background, and
// calls done when it no longer needs body.
func (s *stream) send(num int, body io.ReadSeeker, n int64, done func()) {
	s.sem <- struct{}{}
	s.wg.Go(func() {
		defer func() { <-s.sem }()
		ctx := context.Background()
		p, err := s.fsys.store.UploadPart(ctx, s.fsys.opts.Bucket, s.key, s.id, num, body, objstore.PartOptions{Size: n})
		done()
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil && s.err == nil {
			s.err = fmt.Errorf("upload part %d of %s: %w", num, s.key, err)
		}
		s.parts = append(s.parts, objstore.CompletedPart{PartNumber: num, ETag: p.ETag})
	})
}

// finish sends the tail, waits for every part and completes the upload
// as key (the file's key now) with a's metadata. On failure the upload
// is aborted.
func (s *stream) finish(ctx context.Context, key string, size int64, a attrs) (objstore.ObjectInfo, error) {
	if key != s.key || !s.pump(size) {
		s.abort()
		return objstore.ObjectInfo{}, fmt.Errorf("stream upload of %s: no longer applies", s.key)
	}
	if size > s.next {
		s.sendNext(int(s.next/s.ps)+1, size-s.next)
	}
	s.release()
	if s.err != nil {
		s.abort()
		return objstore.ObjectInfo{}, s.err
	}
	slices.SortFunc(s.parts, func(a, b objstore.CompletedPart) int { return cmp.Compare(a.PartNumber, b.PartNumber) })
	info, err := s.fsys.store.CompleteMultipartUpload(ctx, s.fsys.opts.Bucket, s.key, s.id, s.parts, objstore.CompleteOptions{})
	if err != nil {
		s.abort()
		return info, fmt.Errorf("complete multipart upload %s: %w", s.key, err)
	}
	s.fsys.invalidate(key)
	if !maps.Equal(a.userMetadata(), s.meta) {
		a.etag = info.ETag
		a, err = s.fsys.rewriteMeta(ctx, key, a)
		info.ETag = a.etag
	}
	return info, err
}

// release waits for the parts in flight and gives back what the stream
// holds besides the upload.
func (s *stream) release() {
	s.wg.Wait()
	s.dropCur()
	if s.dio != nil {
		s.dio.close()
		s.dio = nil
	}
}

// abort waits for the parts in flight and discards the upload.
func (s *stream) abort() {
	s.release()
	if err := s.fsys.store.AbortMultipartUpload(context.Background(), s.fsys.opts.Bucket, s.key, s.id); err != nil {
		s.fsys.log.Warn("abort multipart upload", "key", s.key, "err", err)
	}
}
