package disk

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// CreateMultipartUpload starts an upload whose object will carry opts'
// metadata and checksum algorithm.
func (s *Store) CreateMultipartUpload(ctx context.Context, bucket, key string, opts objstore.PutOptions) (string, error) {
	if err := validateWrite(bucket, key, &opts.ObjectMeta); err != nil {
		return "", err
	}
	var alg objstore.ChecksumAlgorithm
	if opts.Checksum != nil && opts.Checksum.Algorithm != "" {
		a, err := objstore.ParseChecksumAlgorithm(string(opts.Checksum.Algorithm))
		if err != nil {
			return "", err
		}
		alg = a
	}
	sl, err := s.writeSealing(ctx, bucket, key, opts.Encryption)
	if err != nil {
		return "", err
	}
	leave, err := s.enter()
	if err != nil {
		return "", err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	bk, err := getBucket(s.db, bucket)
	if err != nil {
		return "", err
	}
	if err := checkLockAllowed(bk, bucket, opts.Lock); err != nil {
		return "", err
	}
	seq, err := s.clock.next()
	if err != nil {
		return "", err
	}
	id := formatUploadID(seq)
	rec := &uploadRecord{Initiated: now(), Meta: normalizeMeta(opts.ObjectMeta), ChecksumAlgorithm: alg, Lock: opts.Lock}
	sl.applyUpload(rec)
	if err := s.db.Set(uploadKey(bucket, key, id), rec.encode(), pebble.Sync); err != nil {
		return "", fmt.Errorf("create upload of %s/%s: %w", bucket, key, err)
	}
	return id, nil
}

// getUpload reads an upload's record, or fails with ErrNoSuchUpload (or
// ErrNoSuchBucket).
func getUpload(r pebble.Reader, bucket, key, uploadID string) (*uploadRecord, error) {
	if !validUploadID(uploadID) {
		return nil, fmt.Errorf("upload %q of %s/%s: %w", uploadID, bucket, key, objstore.ErrNoSuchUpload)
	}
	v, ok, err := getValue(r, uploadKey(bucket, key, uploadID))
	if err != nil {
		return nil, err
	}
	if !ok {
		if _, err := getBucket(r, bucket); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("upload %s of %s/%s: %w", uploadID, bucket, key, objstore.ErrNoSuchUpload)
	}
	return decodeUpload(v)
}

// readUpload reads an upload's record outside of any lock.
func (s *Store) readUpload(bucket, key, uploadID string) (*uploadRecord, error) {
	leave, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	return getUpload(s.db, bucket, key, uploadID)
}

func checkPartNumber(n int) error {
	if n < 1 || n > objstore.MaxPartNumber {
		return fmt.Errorf("part number %d: %w", n, objstore.ErrTooManyParts)
	}
	return nil
}

// UploadPart stores one part of an upload, replacing an earlier upload
// of the same part number.
func (s *Store) UploadPart(ctx context.Context, bucket, key, uploadID string, partNumber int, body io.Reader, opts objstore.PartOptions) (objstore.PartInfo, error) {
	if err := checkPartNumber(partNumber); err != nil {
		return objstore.PartInfo{}, err
	}
	up, err := s.readUpload(bucket, key, uploadID)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	spec := writeSpec{size: opts.Size, max: objstore.MaxPartSize}
	if spec.key, err = s.openDataKey(ctx, bucket, key, up.SSE, up.SealedKey, opts.SSECustomerKey); err != nil {
		return objstore.PartInfo{}, err
	}
	if opts.Size < -1 {
		return objstore.PartInfo{}, fmt.Errorf("size %d: %w", opts.Size, objstore.ErrInvalidArgument)
	}
	if spec.contentMD5, err = parseContentMD5(opts.ContentMD5); err != nil {
		return objstore.PartInfo{}, err
	}
	if spec.checksum, err = partChecksum(up, opts.Checksum); err != nil {
		return objstore.PartInfo{}, err
	}
	st, err := s.writeBody(ctx, body, spec)
	if err != nil {
		return objstore.PartInfo{}, fmt.Errorf("upload part %d of %s/%s: %w", partNumber, bucket, key, err)
	}
	part := &partRecord{ETag: hex.EncodeToString(st.md5), Size: st.size, ID: st.id, LastModified: now()}
	if up.ChecksumAlgorithm != "" {
		part.Checksum = st.checksum
	}
	if err := s.commitPart(bucket, key, uploadID, partNumber, part); err != nil {
		s.files.discard(st.id)
		return objstore.PartInfo{}, err
	}
	return part.info(partNumber, up.ChecksumAlgorithm), nil
}

// partChecksum is the checksum a part is taken in with: the upload's
// algorithm (and the value the client sent, if any).
func partChecksum(up *uploadRecord, c *objstore.Checksum) (*objstore.Checksum, error) {
	c, err := parseChecksum(c)
	if err != nil {
		return nil, err
	}
	switch {
	case up.ChecksumAlgorithm == "":
		return c, nil
	case c == nil:
		return &objstore.Checksum{Algorithm: up.ChecksumAlgorithm}, nil
	case c.Algorithm != up.ChecksumAlgorithm:
		return nil, fmt.Errorf("part checksum %s in an upload of %s: %w", c.Algorithm, up.ChecksumAlgorithm, objstore.ErrInvalidRequest)
	}
	return c, nil
}

// commitPart records a part whose file is in flight, if its upload still
// exists, and releases the file of the part it replaces.
func (s *Store) commitPart(bucket, key, uploadID string, n int, part *partRecord) error {
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	if _, err := getUpload(s.db, bucket, key, uploadID); err != nil {
		return err
	}
	var old *partRecord
	if v, ok, err := getValue(s.db, partKey(uploadID, n)); err != nil {
		return err
	} else if ok {
		if old, err = decodePart(v); err != nil {
			return err
		}
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Set(partKey(uploadID, n), part.encode(), nil)
	if err := s.commit(b); err != nil {
		return err
	}
	s.files.committed(part.ID)
	if old != nil {
		s.files.release(old.ID)
	}
	return nil
}

// AbortMultipartUpload discards an upload and its parts.
func (s *Store) AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error {
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	if _, err := getUpload(s.db, bucket, key, uploadID); err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(uploadKey(bucket, key, uploadID), nil)
	files, err := dropParts(b, s.db, uploadID)
	if err != nil {
		return err
	}
	if err := s.commit(b); err != nil {
		return fmt.Errorf("abort upload %s of %s/%s: %w", uploadID, bucket, key, err)
	}
	s.files.release(files...)
	return nil
}

// dropParts adds to b the removal of an upload's part records and
// returns their files.
func dropParts(b *pebble.Batch, r pebble.Reader, uploadID string) ([]fileID, error) {
	var files []fileID
	p := partsOf(uploadID)
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, fmt.Errorf("read parts of %s: %w", uploadID, err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			return nil, fmt.Errorf("read parts of %s: %w", uploadID, err)
		}
		part, err := decodePart(v)
		if err != nil {
			return nil, err
		}
		b.Delete(it.Key(), nil)
		files = append(files, part.ID)
	}
	return files, it.Error()
}

// dropUploads adds to b the removal of every upload of a bucket and
// returns their files.
func dropUploads(b *pebble.Batch, r pebble.Reader, bucket string) ([]fileID, error) {
	var files []fileID
	err := scanRange(r, bucketPrefix(prefixUpload, bucket), func(k, _ []byte) error {
		_, rest, err := parseObjectKey(prefixUpload, bucket, k)
		if err != nil {
			return err
		}
		id, _, err := readString(rest)
		if err != nil {
			return err
		}
		b.Delete(k, nil)
		f, err := dropParts(b, r, id)
		files = append(files, f...)
		return err
	})
	return files, err
}

// scanRange calls fn with every key beginning with p and its value.
func scanRange(r pebble.Reader, p []byte, fn func(k, v []byte) error) error {
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return fmt.Errorf("scan metadata: %w", err)
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			return fmt.Errorf("scan metadata: %w", err)
		}
		if err := fn(it.Key(), v); err != nil {
			return err
		}
	}
	return it.Error()
}
