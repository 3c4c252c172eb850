package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// restoreObject serves RestoreObject; not served yet.
func (s *Server) restoreObject(ctx context.Context, rq *request) error {
	return fmt.Errorf("RestoreObject: %w", objstore.ErrNotImplemented)
}
