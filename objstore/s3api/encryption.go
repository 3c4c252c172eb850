package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putBucketEncryption serves PutBucketEncryption; not served yet.
func (s *Server) putBucketEncryption(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutBucketEncryption: %w", objstore.ErrNotImplemented)
}

// getBucketEncryption serves GetBucketEncryption; not served yet.
func (s *Server) getBucketEncryption(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketEncryption: %w", objstore.ErrNotImplemented)
}

// deleteBucketEncryption serves DeleteBucketEncryption; not served yet.
func (s *Server) deleteBucketEncryption(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeleteBucketEncryption: %w", objstore.ErrNotImplemented)
}
