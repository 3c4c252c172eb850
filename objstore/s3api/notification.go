package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putBucketNotification serves PutBucketNotification; not served yet.
func (s *Server) putBucketNotification(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutBucketNotification: %w", objstore.ErrNotImplemented)
}

// getBucketNotification serves GetBucketNotification; not served yet.
func (s *Server) getBucketNotification(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetBucketNotification: %w", objstore.ErrNotImplemented)
}
