package embedded

import "github.com/cairnfs/cairn/objstore/s3api"

// configureIdentity gives the server the data directory's users, access
// keys and policies; only the root credential yet.
func (s *Store) configureIdentity(cfg *s3api.Config) {}
