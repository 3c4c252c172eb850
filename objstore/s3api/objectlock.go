package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putObjectLockConfiguration serves PutObjectLockConfiguration; not served yet.
func (s *Server) putObjectLockConfiguration(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutObjectLockConfiguration: %w", objstore.ErrNotImplemented)
}

// getObjectLockConfiguration serves GetObjectLockConfiguration; not served yet.
func (s *Server) getObjectLockConfiguration(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetObjectLockConfiguration: %w", objstore.ErrNotImplemented)
}

// putObjectRetention serves PutObjectRetention; not served yet.
func (s *Server) putObjectRetention(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutObjectRetention: %w", objstore.ErrNotImplemented)
}

// getObjectRetention serves GetObjectRetention; not served yet.
func (s *Server) getObjectRetention(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetObjectRetention: %w", objstore.ErrNotImplemented)
}

// putObjectLegalHold serves PutObjectLegalHold; not served yet.
func (s *Server) putObjectLegalHold(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutObjectLegalHold: %w", objstore.ErrNotImplemented)
}

// getObjectLegalHold serves GetObjectLegalHold; not served yet.
func (s *Server) getObjectLegalHold(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetObjectLegalHold: %w", objstore.ErrNotImplemented)
}
