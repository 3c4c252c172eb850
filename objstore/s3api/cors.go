package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putBucketCors serves PutBucketCors; not served yet.
func (s *Server) putBucketCors(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutBucketCors: %w", objstore.ErrNotImplemented)
}

// getBucketCors serves GetBucketCors; not served yet.
func (s *Server) getBucketCors(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketCors: %w", objstore.ErrNotImplemented)
}

// deleteBucketCors serves DeleteBucketCors; not served yet.
func (s *Server) deleteBucketCors(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeleteBucketCors: %w", objstore.ErrNotImplemented)
}

// preflight answers a CORS preflight (OPTIONS) request; not served yet.
func (s *Server) preflight(ctx context.Context, rq *request) error {
	return fmt.Errorf("OPTIONS: %w", objstore.ErrNotImplemented)
}

// addCORSHeaders adds the CORS headers the bucket's rules give a request
// from another origin; none yet.
func (s *Server) addCORSHeaders(ctx context.Context, rq *request) {}
