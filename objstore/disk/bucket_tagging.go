package disk

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// maxBucketTags is S3's limit of tags on one bucket.
const maxBucketTags = 50

// GetBucketTagging returns a bucket's tag set (empty when it has none).
func (s *Store) GetBucketTagging(ctx context.Context, bucket string) (objstore.Tags, error) {
	rec, err := s.readBucket(bucket)
	if err != nil {
		return nil, err
	}
	return rec.Tags, nil
}

// PutBucketTagging replaces a bucket's tag set.
func (s *Store) PutBucketTagging(ctx context.Context, bucket string, tags objstore.Tags) error {
	if len(tags) > maxBucketTags {
		return fmt.Errorf("%d bucket tags (at most %d): %w", len(tags), maxBucketTags, objstore.ErrInvalidTag)
	}
	for k, v := range tags {
		if err := objstore.ValidateTag(k, v); err != nil {
			return err
		}
	}
	return s.updateBucket(bucket, func(r *bucketRecord) { r.Tags = tags })
}

// DeleteBucketTagging removes every tag of a bucket.
func (s *Store) DeleteBucketTagging(ctx context.Context, bucket string) error {
	return s.updateBucket(bucket, func(r *bucketRecord) { r.Tags = nil })
}

// updateBucket changes a bucket record under the bucket's lock.
func (s *Store) updateBucket(bucket string, change func(*bucketRecord)) error {
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	unlock := s.locks.lockBucket(bucket)
	defer unlock()
	rec, err := getBucket(s.db, bucket)
	if err != nil {
		return err
	}
	change(rec)
	if err := s.db.Set(bucketKey(bucket), rec.encode(), pebble.Sync); err != nil {
		return fmt.Errorf("update bucket %s: %w", bucket, err)
	}
	return nil
}
