package transfer

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// Resume makes a multipart upload outlive a failure or a crash of the
// process doing it.
type Resume struct {
	// UploadID continues this earlier upload: every part it already
	// holds with the MD5 of the same bytes is kept instead of sent again.
	// An ID the store no longer knows starts a new upload.
	UploadID string
	// Started is told the ID of a new upload before any part goes up, to
	// keep it for a later resume. An error from it aborts the upload.
	Started func(uploadID string) error
}

// UploadResumable stores the first size bytes of ra as bucket/key, like
// Upload, except that a multipart upload is not aborted when a part
// fails: its parts stay on the store for a later call with r.UploadID.
// Below opts.Threshold it is a single PutObject and r is not used.
func UploadResumable(ctx context.Context, store objstore.Store, bucket, key string, ra io.ReaderAt, size int64, r Resume, opts Options) (objstore.ObjectInfo, error) {
	opts = opts.withDefaults()
	if size < opts.Threshold {
		return putOnce(ctx, store, bucket, key, io.NewSectionReader(ra, 0, size), size, opts)
	}
	have, err := storedParts(ctx, store, bucket, key, r.UploadID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	u := upload{bucket, key, r.UploadID}
	if have == nil {
		if u.id, err = startUpload(ctx, store, bucket, key, r, opts); err != nil {
			return objstore.ObjectInfo{}, err
		}
	}
	parts, err := resumeParts(ctx, store, u, ra, size, have, opts)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	return complete(ctx, store, u, parts, objstore.CompleteOptions{IfMatch: opts.Put.IfMatch, IfNoneMatch: opts.Put.IfNoneMatch})
}

// startUpload creates a multipart upload and tells r.Started its ID.
func startUpload(ctx context.Context, store objstore.Store, bucket, key string, r Resume, opts Options) (string, error) {
	po := opts.Put
	po.Size, po.ContentMD5 = -1, ""
	id, err := store.CreateMultipartUpload(ctx, bucket, key, po)
	if err != nil {
		return "", fmt.Errorf("create multipart upload %s/%s: %w", bucket, key, err)
	}
	if r.Started != nil {
		if err := r.Started(id); err != nil {
			abort(ctx, store, upload{bucket, key, id})
			return "", err
		}
	}
	return id, nil
}

// storedParts lists the parts of an earlier upload by number; nil when
// there is no earlier upload (none given, or the store forgot it).
func storedParts(ctx context.Context, store objstore.Store, bucket, key, id string) (map[int]objstore.PartInfo, error) {
	if id == "" {
		return nil, nil
	}
	have := map[int]objstore.PartInfo{}
	marker := 0
	for {
		page, err := store.ListParts(ctx, bucket, key, id, objstore.ListPartsOptions{PartNumberMarker: marker})
		if errors.Is(err, objstore.ErrNoSuchUpload) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list parts of upload %s of %s/%s: %w", id, bucket, key, err)
		}
		for _, p := range page.Parts {
			have[p.PartNumber] = p
		}
		if !page.IsTruncated {
			return have, nil
		}
		marker = page.NextPartNumberMarker
	}
}

// resumeParts uploads every part of ra that have does not already hold
// with the same bytes, opts.Concurrency at a time.
func resumeParts(ctx context.Context, store objstore.Store, u upload, ra io.ReaderAt, size int64, have map[int]objstore.PartInfo, opts Options) ([]objstore.CompletedPart, error) {
	var (
		mu   sync.Mutex
		done []objstore.CompletedPart
	)
	add := func(n int, etag string) {
		mu.Lock()
		defer mu.Unlock()
		done = append(done, objstore.CompletedPart{PartNumber: n, ETag: etag})
	}
	err := parallel(ctx, opts.Concurrency, sectionParts(ra, size, opts.partSize(size)), func(ctx context.Context, p part) error {
		if old, ok := have[p.num]; ok && old.Size == p.size {
			sum, err := partMD5(p)
			if err != nil {
				return fmt.Errorf("read part %d of %s/%s: %w", p.num, u.bucket, u.key, err)
			}
			if sum == old.ETag {
				opts.Progress(p.size)
				add(p.num, old.ETag)
				return nil
			}
			if _, err := p.body.(io.Seeker).Seek(0, io.SeekStart); err != nil {
				return fmt.Errorf("reread part %d of %s/%s: %w", p.num, u.bucket, u.key, err)
			}
		}
		info, err := store.UploadPart(ctx, u.bucket, u.key, u.id, p.num, &progressReader{p.body, opts.Progress}, objstore.PartOptions{Size: p.size})
		if err != nil {
			return fmt.Errorf("upload part %d of %s/%s: %w", p.num, u.bucket, u.key, err)
		}
		add(p.num, info.ETag)
		return nil
	})
	return done, err
}

// partMD5 returns the hex MD5 of a part's bytes, as S3 gives part ETags.
func partMD5(p part) (string, error) {
	h := md5.New()
	if _, err := io.Copy(h, p.body); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
