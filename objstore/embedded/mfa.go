package embedded

import (
	"github.com/cairnfs/cairn/objstore/lock"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// configureMFA gives the server the data directory's MFA devices, which
// MFA delete checks.
func (s *Store) configureMFA(cfg *s3api.Config) {
	if cfg.MFA == nil {
		cfg.MFA = lock.OpenDevices(s.opts.Dir)
	}
}
