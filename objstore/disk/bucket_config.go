package disk

import (
	"context"
	"fmt"
	"maps"
)

// Bucket configurations are opaque documents the bucket features keep with
// a bucket (its policy, CORS rules, lifecycle rules, …), each under its own
// name. They live in the bucket record, so a bucket's deletion takes them
// with it and a read sees the last write at once.

// GetBucketConfig returns the bucket configuration called name, and
// whether the bucket has one. It fails with objstore.ErrNoSuchBucket.
func (s *Store) GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, bool, error) {
	rec, err := s.readBucket(bucket)
	if err != nil {
		return nil, false, err
	}
	doc, ok := rec.Configs[name]
	return []byte(doc), ok, nil
}

// PutBucketConfig sets the bucket configuration called name.
func (s *Store) PutBucketConfig(ctx context.Context, bucket, name string, doc []byte) error {
	if name == "" {
		return fmt.Errorf("bucket %s: empty configuration name", bucket)
	}
	return s.updateBucket(bucket, func(r *bucketRecord) {
		r.Configs = maps.Clone(r.Configs)
		if r.Configs == nil {
			r.Configs = map[string]string{}
		}
		r.Configs[name] = string(doc)
	})
}

// DeleteBucketConfig removes the bucket configuration called name; removing
// one the bucket does not have is not an error.
func (s *Store) DeleteBucketConfig(ctx context.Context, bucket, name string) error {
	return s.updateBucket(bucket, func(r *bucketRecord) { delete(r.Configs, name) })
}
