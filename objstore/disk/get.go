package disk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// maxReadRetries bounds how often a read starts over because the version
// it found was deleted before its data could be pinned.
const maxReadRetries = 64

// GetObject opens a version of key, or a range or part of it.
func (s *Store) GetObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (*objstore.Object, error) {
	if err := validateRead(key, &opts); err != nil {
		return nil, err
	}
	for range maxReadRetries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		obj, err := s.openObject(ctx, bucket, key, &opts)
		if obj != nil || err != nil {
			return obj, err
		}
	}
	return nil, fmt.Errorf("get %s/%s: version kept changing: %w", bucket, key, objstore.ErrServiceUnavailable)
}

// HeadObject reports what GetObject would, without opening the data.
func (s *Store) HeadObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (objstore.ObjectInfo, error) {
	if err := validateRead(key, &opts); err != nil {
		return objstore.ObjectInfo{}, err
	}
	leave, err := s.enter()
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer leave()
	rec, err := resolve(s.db, bucket, key, opts.VersionID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	info := rec.info(bucket, key)
	if err := checkRead(opts.Conditions, rec.ETag, info.LastModified); err != nil {
		return objstore.ObjectInfo{}, err
	}
	if err := sse.CheckCustomerKey(rec.SSE, opts.SSECustomerKey); err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("head %s/%s: %w", bucket, key, err)
	}
	if _, _, err := selectBytes(rec, &opts); err != nil {
		return objstore.ObjectInfo{}, err
	}
	info.IsLatest = opts.VersionID == "" || s.isLatest(bucket, key, rec)
	return info, nil
}

func validateRead(key string, opts *objstore.GetOptions) error {
	if err := objstore.ValidateKey(key); err != nil {
		return err
	}
	switch {
	case opts.PartNumber < 0 || opts.PartNumber > objstore.MaxPartNumber:
		return fmt.Errorf("part number %d: %w", opts.PartNumber, objstore.ErrTooManyParts)
	case opts.PartNumber > 0 && opts.Range != nil:
		return objstore.ErrRangeAndPartNumber
	}
	return nil
}

// openObject opens the version a read addresses. It returns neither an
// object nor an error when the version vanished under it: the caller
// starts over.
func (s *Store) openObject(ctx context.Context, bucket, key string, opts *objstore.GetOptions) (*objstore.Object, error) {
	leave, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	rec, err := resolve(s.db, bucket, key, opts.VersionID)
	if err != nil {
		return nil, err
	}
	info := rec.info(bucket, key)
	if err := checkRead(opts.Conditions, rec.ETag, info.LastModified); err != nil {
		return nil, err
	}
	if err := readableNow(bucket, key, rec, time.Now()); err != nil {
		return nil, err
	}
	offset, length, err := selectBytes(rec, opts)
	if err != nil {
		return nil, err
	}
	info.IsLatest = opts.VersionID == "" || s.isLatest(bucket, key, rec)
	dk, err := s.openDataKey(ctx, bucket, key, rec.SSE, rec.SealedKey, opts.SSECustomerKey)
	if err != nil {
		return nil, err
	}
	body, err := s.openBody(bucket, key, rec, dk, offset, length)
	if body == nil || err != nil {
		return nil, err
	}
	ranged := opts.Range != nil || opts.PartNumber > 0
	return &objstore.Object{Info: info, Body: body, Offset: offset, Length: length, Ranged: ranged}, nil
}

// openBody opens a version's data, or returns nil when the version was
// deleted since it was read.
func (s *Store) openBody(bucket, key string, rec *versionRecord, dk *sse.DataKey, offset, length int64) (io.ReadCloser, error) {
	if rec.Inline {
		data, ok, err := getValue(s.db, dataKey(rec.DataID))
		if err != nil || !ok {
			return nil, err
		}
		if data, err = plainInline(rec, data, dk); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", bucket, key, err)
		}
		return io.NopCloser(bytes.NewReader(data[offset : offset+length])), nil
	}
	ok, err := s.pinVersion(bucket, key, rec)
	if err != nil || !ok {
		return nil, err
	}
	if dk != nil {
		return newCryptReader(s.files, s.layout, dk, &s.readBufs, rec.Segments, rec.fileIDs(), offset, length), nil
	}
	return newSegmentReader(s.files, s.layout, rec.Segments, rec.fileIDs(), offset, length), nil
}

// pinVersion pins the files of a version read from the KV, or tells that
// the version has been deleted since (ok false, nothing pinned).
func (s *Store) pinVersion(bucket, key string, rec *versionRecord) (ok bool, err error) {
	ids := rec.fileIDs()
	s.files.pin(ids)
	// Files are released only after the batch that drops their version
	// commits; if the version is still there now, any release comes after
	// the pin and waits for it.
	still, err := has(s.db, versionKey(bucket, key, rec.Seq))
	if err != nil || !still {
		s.files.unpin(ids)
		return false, err
	}
	return true, nil
}

// selectBytes resolves the range or part a read asks for.
func selectBytes(rec *versionRecord, opts *objstore.GetOptions) (offset, length int64, err error) {
	switch {
	case opts.Range != nil:
		return opts.Range.Resolve(rec.Size)
	case opts.PartNumber > 0:
		return partBytes(rec, opts.PartNumber)
	}
	return 0, rec.Size, nil
}

// partBytes locates part n of a version: a part of a multipart object, or
// the whole of a simple one as its part 1.
func partBytes(rec *versionRecord, n int) (offset, length int64, err error) {
	if rec.PartsCount == 0 {
		if n != 1 {
			return 0, 0, fmt.Errorf("part %d of a simple object: %w", n, objstore.ErrInvalidPartNumber)
		}
		return 0, rec.Size, nil
	}
	if n > len(rec.Segments) {
		return 0, 0, fmt.Errorf("part %d of %d: %w", n, len(rec.Segments), objstore.ErrInvalidPartNumber)
	}
	for _, seg := range rec.Segments[:n-1] {
		offset += seg.Size
	}
	return offset, rec.Segments[n-1].Size, nil
}

// isLatest tells whether rec is the current version of key.
func (s *Store) isLatest(bucket, key string, rec *versionRecord) bool {
	cur, _, err := newest(s.db, bucket, key, false)
	return err == nil && cur != nil && cur.Seq == rec.Seq
}
