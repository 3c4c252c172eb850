package embedded

import (
	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// Identities returns the data directory's users, access keys and
// policies (its iam.json), which administrative commands may change
// while the store is open.
func (s *Store) Identities() *iam.Store { return iam.Open(s.opts.Dir, s.log) }

// configureIdentity gives the server the data directory's users, access
// keys, identity policies and server-wide public access block; the
// server re-reads them whenever `cairn admin` changes them.
func (s *Store) configureIdentity(cfg *s3api.Config) {
	cfg.Identities = s.Identities()
}
