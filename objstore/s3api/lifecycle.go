package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putBucketLifecycle serves PutBucketLifecycle; not served yet.
func (s *Server) putBucketLifecycle(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutBucketLifecycle: %w", objstore.ErrNotImplemented)
}

// getBucketLifecycle serves GetBucketLifecycle; not served yet.
func (s *Server) getBucketLifecycle(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketLifecycle: %w", objstore.ErrNotImplemented)
}

// deleteBucketLifecycle serves DeleteBucketLifecycle; not served yet.
func (s *Server) deleteBucketLifecycle(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeleteBucketLifecycle: %w", objstore.ErrNotImplemented)
}
