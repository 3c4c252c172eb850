package embedded

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/replicate"
)

// withReplication layers replication over st: versions written through it
// that a bucket's rules select are queued, and the worker copying them to
// their destinations runs until Close.
func (s *Store) withReplication(ctx context.Context, st objstore.Store) (objstore.Store, error) {
	r, err := replicate.New(ctx, st, replicate.Options{
		Dir: s.opts.Dir, Engine: s.disk, Events: s.events, Logger: s.log,
	})
	if err != nil {
		return nil, fmt.Errorf("start replication: %w", err)
	}
	s.replicator = r
	s.onClose(r.Close)
	return r.Store(), nil
}

// ReplicateExisting queues the versions of bucket that its replication
// rules select and that were never replicated (or failed), as
// `cairn admin replicate-existing` asks, and returns how many.
func (s *Store) ReplicateExisting(ctx context.Context, bucket string) (int, error) {
	if s.replicator == nil {
		return 0, fmt.Errorf("replication is not running")
	}
	return s.replicator.QueueExisting(ctx, bucket)
}
