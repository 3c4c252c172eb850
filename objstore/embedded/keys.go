package embedded

import (
	"context"
	"path/filepath"

	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/sse"
)

// KeysDir is where a data directory keeps its encryption keys (master
// key, KMS keys) and their audit log, apart from object data.
func KeysDir(dataDir string) string { return filepath.Join(dataDir, "keys") }

// openKeys gives the engine the data directory's key service, for
// encryption at rest.
func (s *Store) openKeys(ctx context.Context, o *disk.Options) error {
	keys, err := sse.Open(KeysDir(s.opts.Dir))
	if err != nil {
		return err
	}
	s.onClose(keys.Close)
	s.keys, o.Keys = keys, keys
	return nil
}
