package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/sync/pair"
)

// withPairStore runs fn on the store the synced folder p lives in: its
// endpoint, or the embedded store in its data directory. --endpoint or
// --data given on the command line win over the pair's record.
func (a *app) withPairStore(ctx context.Context, p pair.Pair, fn func(objstore.Store) error) error {
	if a.globalGiven("endpoint") || a.globalGiven("data") {
		return a.withStore(ctx, fn)
	}
	b := *a
	if p.Endpoint != "" {
		b.remote = remoteFlags{endpoint: p.Endpoint, region: p.Region, profile: p.Profile, caBundle: a.remote.caBundle}
		return b.withRemote(ctx, fn)
	}
	if p.DataDir != "" {
		b.dataDir = p.DataDir
	}
	err := b.withEmbedded(ctx, fn)
	var le *lockedError
	if errors.As(err, &le) {
		return &verbatimError{fmt.Errorf("%s; while it runs, reach the store through its S3 endpoint with --endpoint", le.Error())}
	}
	return err
}
