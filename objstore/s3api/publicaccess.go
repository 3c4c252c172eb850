package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// putPublicAccessBlock serves PutPublicAccessBlock; not served yet.
func (s *Server) putPublicAccessBlock(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutPublicAccessBlock: %w", objstore.ErrNotImplemented)
}

// getPublicAccessBlock serves GetPublicAccessBlock; not served yet.
func (s *Server) getPublicAccessBlock(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetPublicAccessBlock: %w", objstore.ErrNotImplemented)
}

// deletePublicAccessBlock serves DeletePublicAccessBlock; not served yet.
func (s *Server) deletePublicAccessBlock(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeletePublicAccessBlock: %w", objstore.ErrNotImplemented)
}

// putOwnershipControls serves PutOwnershipControls; not served yet.
func (s *Server) putOwnershipControls(ctx context.Context, rq *request) error {
	return fmt.Errorf("PutOwnershipControls: %w", objstore.ErrNotImplemented)
}

// getOwnershipControls serves GetOwnershipControls; not served yet.
func (s *Server) getOwnershipControls(ctx context.Context, rq *request) error {
	return fmt.Errorf("GetOwnershipControls: %w", objstore.ErrNotImplemented)
}

// deleteOwnershipControls serves DeleteOwnershipControls; not served yet.
func (s *Server) deleteOwnershipControls(ctx context.Context, rq *request) error {
	return fmt.Errorf("DeleteOwnershipControls: %w", objstore.ErrNotImplemented)
}
