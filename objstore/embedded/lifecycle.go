package embedded

import (
	"context"
	"sync"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lifecycle"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// withLifecycle starts the lifecycle worker over the disk engine: it
// applies the buckets' rules and completes restores, every lifecycle hour
// (Options.LifecycleDay / 24), until Close. The rules act on the engine
// directly: lifecycle work is published as lifecycle events, not as a
// client's changes, and is not replicated, as in S3.
func (s *Store) withLifecycle(ctx context.Context, st objstore.Store) (objstore.Store, error) {
	m := lifecycle.New(lifecycle.Options{
		Engine: s.disk,
		Day:    s.opts.LifecycleDay,
		Events: s.events,
		Logger: s.log.With("component", "lifecycle"),
	})
	s.lifecycle = m
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { m.Run(runCtx) })
	s.onClose(func() error {
		cancel()
		wg.Wait()
		return nil
	})
	return st, nil
}

// configureLifecycle lets the server start restores and report
// x-amz-expiration.
func (s *Store) configureLifecycle(cfg *s3api.Config) {
	if s.lifecycle != nil {
		cfg.Lifecycle = s.lifecycle
	}
}
