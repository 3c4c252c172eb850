package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putBucketPolicy serves PutBucketPolicy; not served yet.
func (s *Server) putBucketPolicy(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutBucketPolicy: %w", objstore.ErrNotImplemented)
}

// getBucketPolicy serves GetBucketPolicy; not served yet.
func (s *Server) getBucketPolicy(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketPolicy: %w", objstore.ErrNotImplemented)
}

// deleteBucketPolicy serves DeleteBucketPolicy; not served yet.
func (s *Server) deleteBucketPolicy(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeleteBucketPolicy: %w", objstore.ErrNotImplemented)
}

// getBucketPolicyStatus serves GetBucketPolicyStatus; not served yet.
func (s *Server) getBucketPolicyStatus(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketPolicyStatus: %w", objstore.ErrNotImplemented)
}
