package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putBucketReplication serves PutBucketReplication; not served yet.
func (s *Server) putBucketReplication(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutBucketReplication: %w", objstore.ErrNotImplemented)
}

// getBucketReplication serves GetBucketReplication; not served yet.
func (s *Server) getBucketReplication(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketReplication: %w", objstore.ErrNotImplemented)
}

// deleteBucketReplication serves DeleteBucketReplication; not served yet.
func (s *Server) deleteBucketReplication(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeleteBucketReplication: %w", objstore.ErrNotImplemented)
}
