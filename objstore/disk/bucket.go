package disk

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lock"
	"github.com/cockroachdb/pebble/v2"
)

// CreateBucket creates a bucket, unversioned, or with object lock (and so
// versioning Enabled for good) when opts.ObjectLockEnabled.
func (s *Store) CreateBucket(ctx context.Context, bucket string, opts objstore.CreateBucketOptions) error {
	if err := objstore.ValidateBucketName(bucket); err != nil {
		return err
	}
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	unlock := s.locks.lockBucket(bucket)
	defer unlock()
	if ok, err := has(s.db, bucketKey(bucket)); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("bucket %s: %w", bucket, objstore.ErrBucketAlreadyOwnedByYou)
	}
	region := opts.Region
	if region == "" {
		region = s.opts.Region
	}
	rec := &bucketRecord{Created: now(), Region: region}
	if opts.ObjectLockEnabled {
		enableLock(rec, lock.EnabledConfig())
	}
	if err := s.db.Set(bucketKey(bucket), rec.encode(), pebble.Sync); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucket, err)
	}
	return nil
}

// DeleteBucket deletes an empty bucket and aborts its multipart uploads.
func (s *Store) DeleteBucket(ctx context.Context, bucket string) error {
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	unlock := s.locks.lockBucket(bucket)
	defer unlock()
	if _, err := getBucket(s.db, bucket); err != nil {
		return err
	}
	if empty, err := rangeEmpty(s.db, bucketPrefix(prefixVersion, bucket)); err != nil {
		return err
	} else if !empty {
		return fmt.Errorf("bucket %s: %w", bucket, objstore.ErrBucketNotEmpty)
	}
	b := s.db.NewBatch()
	defer b.Close()
	files, err := dropUploads(b, s.db, bucket)
	if err != nil {
		return err
	}
	b.Delete(bucketKey(bucket), nil)
	if err := s.commit(b); err != nil {
		return fmt.Errorf("delete bucket %s: %w", bucket, err)
	}
	s.files.release(files...)
	return nil
}

// HeadBucket reports a bucket.
func (s *Store) HeadBucket(ctx context.Context, bucket string) (objstore.BucketInfo, error) {
	rec, err := s.readBucket(bucket)
	if err != nil {
		return objstore.BucketInfo{}, err
	}
	return rec.info(bucket), nil
}

// ListBuckets lists every bucket in name order.
func (s *Store) ListBuckets(ctx context.Context) ([]objstore.BucketInfo, error) {
	leave, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	var out []objstore.BucketInfo
	err = scanFamily(ctx, s.db, prefixBucket, func(k, v []byte) error {
		name, _, err := readString(k[1:])
		if err != nil {
			return err
		}
		rec, err := decodeBucket(v)
		if err != nil {
			return err
		}
		out = append(out, rec.info(name))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list buckets: %w", err)
	}
	return out, nil
}

// GetBucketVersioning reports a bucket's versioning state.
func (s *Store) GetBucketVersioning(ctx context.Context, bucket string) (objstore.VersioningState, error) {
	info, err := s.HeadBucket(ctx, bucket)
	return info.Versioning, err
}

// PutBucketVersioning turns versioning on (Enabled) or pauses it
// (Suspended). A bucket never goes back to Unversioned.
func (s *Store) PutBucketVersioning(ctx context.Context, bucket string, state objstore.VersioningState) error {
	if state != objstore.VersioningEnabled && state != objstore.VersioningSuspended {
		return fmt.Errorf("versioning state %q: %w", state, objstore.ErrIllegalVersioningConfiguration)
	}
	return s.setVersioning(bucket, state)
}

// rangeEmpty tells whether no key begins with p.
func rangeEmpty(r pebble.Reader, p []byte) (bool, error) {
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return false, fmt.Errorf("scan metadata: %w", err)
	}
	defer it.Close()
	empty := !it.First()
	return empty, it.Error()
}
