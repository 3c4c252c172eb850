package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// selectObjectContent serves SelectObjectContent; not served yet.
func (s *Server) selectObjectContent(ctx context.Context, rq *request) error {
	return fmt.Errorf("SelectObjectContent: %w", objstore.ErrNotImplemented)
}
