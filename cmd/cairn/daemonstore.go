package main

import (
	"context"
	"path/filepath"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// withDaemonStore runs fn on the embedded store of the data directory
// through the cairn daemon that holds it locked: over S3 on the loopback
// endpoint the daemon keeps, signed with the data directory's root
// credential. Without such a daemon the directory is simply in use.
func (a *app) withDaemonStore(ctx context.Context, fn func(objstore.Store) error) error {
	locked := &lockedError{a.dataDir}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := a.daemonClient("").Status(sctx)
	if err != nil || st.S3Endpoint == "" {
		return locked
	}
	dir, err := filepath.Abs(a.dataDir)
	if err != nil || filepath.Clean(st.Data) != dir {
		return locked
	}
	root, err := s3api.ReadRootCredential(a.dataDir, a.getenv)
	if err != nil {
		return locked
	}
	b := *a
	b.remote = remoteFlags{endpoint: st.S3Endpoint, region: "us-east-1"}
	b.getenv = func(k string) string {
		switch k {
		case "CAIRN_ACCESS_KEY":
			return root.AccessKey
		case "CAIRN_SECRET_KEY":
			return root.SecretKey
		}
		return a.getenv(k)
	}
	return b.withRemote(ctx, fn)
}
