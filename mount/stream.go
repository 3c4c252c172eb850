package mount

import (
	"cmp"
	"context"
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
// size; the last, shorter one is sent at the end.
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
	return &stream{fsys: f, f: file, key: key, id: id, ps: f.opts.PartSize, meta: meta, sem: make(chan struct{}, f.opts.UploadConcurrency)}, nil
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
		s.send(num, s.next, s.ps)
		s.next += s.ps
	}
	return true
}

// send uploads bytes [off, off+n) as part num in the background.
func (s *stream) send(num int, off, n int64) {
	s.sem <- struct{}{}
	s.wg.Go(func() {
		defer func() { <-s.sem }()
		ctx := context.Background()
		p, err := s.fsys.store.UploadPart(ctx, s.fsys.opts.Bucket, s.key, s.id, num, io.NewSectionReader(s.f, off, n), objstore.PartOptions{Size: n})
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
		s.send(int(s.next/s.ps)+1, s.next, size-s.next)
	}
	s.wg.Wait()
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

// abort waits for the parts in flight and discards the upload.
func (s *stream) abort() {
	s.wg.Wait()
	if err := s.fsys.store.AbortMultipartUpload(context.Background(), s.fsys.opts.Bucket, s.key, s.id); err != nil {
		s.fsys.log.Warn("abort multipart upload", "key", s.key, "err", err)
	}
}
