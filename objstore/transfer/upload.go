package transfer

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"slices"
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// Upload stores what r holds as bucket/key. size is its length, or -1
// when unknown (a pipe, say).
//
// Below opts.Threshold it is one PutObject. From there on it is a
// multipart upload whose parts go up opts.Concurrency at a time; any
// failure aborts the upload, so no parts are left behind. When size is
// known and r is an io.ReaderAt (an *os.File), parts are read straight
// from offsets 0 to size, in parallel and without buffering; otherwise r
// is read in order, one part-sized buffer per part in flight.
func Upload(ctx context.Context, store objstore.Store, bucket, key string, r io.Reader, size int64, opts Options) (objstore.ObjectInfo, error) {
	opts = opts.withDefaults()
	if size < 0 {
		var head bytes.Buffer
		if _, err := io.CopyN(&head, r, opts.Threshold); err != nil && !errors.Is(err, io.EOF) {
			return objstore.ObjectInfo{}, fmt.Errorf("upload %s/%s: read: %w", bucket, key, err)
		}
		if int64(head.Len()) < opts.Threshold {
			return putOnce(ctx, store, bucket, key, &head, int64(head.Len()), opts)
		}
		r = io.MultiReader(&head, r)
	} else if size < opts.Threshold {
		return putOnce(ctx, store, bucket, key, io.LimitReader(r, size), size, opts)
	}
	return putMultipart(ctx, store, bucket, key, r, size, opts)
}

// putOnce stores r, of exactly size bytes, with one PutObject.
func putOnce(ctx context.Context, store objstore.Store, bucket, key string, r io.Reader, size int64, opts Options) (objstore.ObjectInfo, error) {
	po := opts.Put
	po.Size = size
	info, err := store.PutObject(ctx, bucket, key, &progressReader{r, opts.Progress}, po)
	if err != nil {
		return info, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return info, nil
}

// upload names one multipart upload.
type upload struct {
	bucket, key, id string
}

// putMultipart stores r as a multipart upload and aborts it on failure.
func putMultipart(ctx context.Context, store objstore.Store, bucket, key string, r io.Reader, size int64, opts Options) (objstore.ObjectInfo, error) {
	po := opts.Put
	po.Size, po.ContentMD5 = -1, ""
	id, err := store.CreateMultipartUpload(ctx, bucket, key, po)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("create multipart upload %s/%s: %w", bucket, key, err)
	}
	u := upload{bucket, key, id}
	parts, err := uploadParts(ctx, store, u, readParts(r, size, opts), opts)
	if err != nil {
		abort(ctx, store, u)
		return objstore.ObjectInfo{}, err
	}
	return complete(ctx, store, u, parts, objstore.CompleteOptions{IfMatch: opts.Put.IfMatch, IfNoneMatch: opts.Put.IfNoneMatch})
}

// complete assembles the parts of u, aborting u when that fails.
func complete(ctx context.Context, store objstore.Store, u upload, parts []objstore.CompletedPart, co objstore.CompleteOptions) (objstore.ObjectInfo, error) {
	slices.SortFunc(parts, func(a, b objstore.CompletedPart) int { return cmp.Compare(a.PartNumber, b.PartNumber) })
	info, err := store.CompleteMultipartUpload(ctx, u.bucket, u.key, u.id, parts, co)
	if err != nil {
		abort(ctx, store, u)
		return info, fmt.Errorf("complete multipart upload %s/%s: %w", u.bucket, u.key, err)
	}
	return info, nil
}

// abort discards u, even when ctx is already canceled. A failure is only
// logged: the error that led here is the one worth returning.
func abort(ctx context.Context, store objstore.Store, u upload) {
	if err := store.AbortMultipartUpload(context.WithoutCancel(ctx), u.bucket, u.key, u.id); err != nil {
		slog.WarnContext(ctx, "abort multipart upload", "bucket", u.bucket, "key", u.key, "upload", u.id, "err", err)
	}
}

// part is one part to upload: its number and its bytes.
type part struct {
	num  int
	body io.Reader
	size int64
}

// uploadParts uploads the parts opts.Concurrency at a time and returns
// them as CompleteMultipartUpload wants them.
func uploadParts(ctx context.Context, store objstore.Store, u upload, parts iter.Seq2[part, error], opts Options) ([]objstore.CompletedPart, error) {
	var (
		mu   sync.Mutex
		done []objstore.CompletedPart
	)
	err := parallel(ctx, opts.Concurrency, parts, func(ctx context.Context, p part) error {
		body := &progressReader{p.body, opts.Progress}
		info, err := store.UploadPart(ctx, u.bucket, u.key, u.id, p.num, body, objstore.PartOptions{Size: p.size})
		if err != nil {
			return fmt.Errorf("upload part %d of %s/%s: %w", p.num, u.bucket, u.key, err)
		}
		mu.Lock()
		defer mu.Unlock()
		done = append(done, objstore.CompletedPart{PartNumber: p.num, ETag: info.ETag})
		return nil
	})
	return done, err
}

// readParts cuts r into parts: sections of it when it is an io.ReaderAt
// of known size, buffers read in order otherwise.
func readParts(r io.Reader, size int64, opts Options) iter.Seq2[part, error] {
	if ra, ok := r.(io.ReaderAt); ok && size >= 0 {
		return sectionParts(ra, size, opts.partSize(size))
	}
	return bufferedParts(r, size, opts)
}

// sectionParts yields the parts of ra's first size bytes.
func sectionParts(ra io.ReaderAt, size, partSize int64) iter.Seq2[part, error] {
	return func(yield func(part, error) bool) {
		for n, off := 1, int64(0); off < size; n, off = n+1, off+partSize {
			ps := min(partSize, size-off)
			if !yield(part{n, io.NewSectionReader(ra, off, ps), ps}, nil) {
				return
			}
		}
	}
}

// bufferedParts reads r in order into one buffer per part. With a known
// size it reads exactly size bytes; otherwise it reads until EOF.
func bufferedParts(r io.Reader, size int64, opts Options) iter.Seq2[part, error] {
	return func(yield func(part, error) bool) {
		var off int64
		for n := 1; size < 0 || off < size; n++ {
			if n > objstore.MaxPartNumber {
				yield(part{}, fmt.Errorf("more than %d parts: %w", objstore.MaxPartNumber, objstore.ErrEntityTooLarge))
				return
			}
			ps := opts.streamPartSize(n)
			if size >= 0 {
				ps = min(opts.partSize(size), size-off)
			}
			buf := make([]byte, ps)
			k, err := io.ReadFull(r, buf)
			last := size < 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
			if err != nil && !last {
				yield(part{}, fmt.Errorf("read part %d: %w", n, err))
				return
			}
			if k == 0 && n > 1 {
				return // the stream ended on a part boundary
			}
			if !yield(part{n, bytes.NewReader(buf[:k]), int64(k)}, nil) || last {
				return
			}
			off += int64(k)
		}
	}
}
