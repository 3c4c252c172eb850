package embedded

import (
	"context"

	"github.com/cairnfs/cairn/objstore/disk"
)

// openKeys prepares the engine's encryption at rest; none yet.
func (s *Store) openKeys(ctx context.Context, o *disk.Options) error { return nil }
