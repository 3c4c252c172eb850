// Package embedded opens cairn's embedded object store the way every
// command that owns a data directory uses it: the disk engine with the
// bucket features layered on it and their background workers running,
// and the S3 server over all of that.
//
// One process owns a data directory at a time (the engine holds a lock on
// it), so the features' workers — lifecycle, replication, event delivery —
// run exactly once per directory, in whichever process opened it.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/events"
	"github.com/cairnfs/cairn/objstore/lifecycle"
	"github.com/cairnfs/cairn/objstore/notify"
	"github.com/cairnfs/cairn/objstore/replicate"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/cairnfs/cairn/objstore/sse"
)

// Options configure Open.
type Options struct {
	// Dir is the data directory; it is created when missing.
	Dir string
	// Logger receives the store's logs; slog.Default() when nil.
	Logger *slog.Logger
	// LifecycleDay is the length of a lifecycle day: 24 hours when 0.
	// A shorter day (seconds) makes lifecycle rules and restores happen
	// that much sooner, for tests and demos.
	LifecycleDay time.Duration
}

// Store is the embedded store with its features. As an objstore.Store it
// is what S3 clients, mounts and syncs of this process write through: every
// change goes through the feature layers and is signalled on Changes.
type Store struct {
	*notify.Store
	quiet objstore.Store
	disk  *disk.Store
	// events takes the events of the features' own work (lifecycle,
	// replication, restores); set by withEvents, nil without it.
	events events.Publisher
	opts   Options
	log    *slog.Logger
	closer []func() error // run in reverse order by Close

	// lifecycle runs the lifecycle rules; set by withLifecycle.
	lifecycle *lifecycle.Manager

	// replicator runs replication; set by withReplication.
	replicator *replicate.Replicator

	// keys is the key service of encryption at rest; set by openKeys.
	keys *sse.Service
}

// layer wraps the store with one feature, or starts its worker over it.
type layer func(ctx context.Context, st objstore.Store) (objstore.Store, error)

// Open opens the data directory's store and starts the features' workers.
// A directory another process holds fails with an error wrapping
// disk.ErrLocked.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	s := &Store{opts: o, log: o.Logger}
	if err := s.open(ctx); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	dopts := disk.Options{Logger: s.log}
	if err := s.openKeys(ctx, &dopts); err != nil {
		return err
	}
	d, err := disk.Open(s.opts.Dir, dopts)
	if err != nil {
		return fmt.Errorf("open data directory %s: %w", s.opts.Dir, err)
	}
	s.disk = d
	s.onClose(d.Close)
	var st objstore.Store = d
	for _, wrap := range []layer{s.withEvents, s.withReplication, s.withLifecycle} {
		if st, err = wrap(ctx, st); err != nil {
			return err
		}
	}
	s.quiet, s.Store = st, notify.Wrap(st)
	return nil
}

// onClose registers what Close releases, in reverse order of registration.
func (s *Store) onClose(fn func() error) { s.closer = append(s.closer, fn) }

// Close stops the workers and closes the data directory.
func (s *Store) Close() error {
	var errs []error
	for i := len(s.closer) - 1; i >= 0; i-- {
		errs = append(errs, s.closer[i]())
	}
	s.closer = nil
	return errors.Join(errs...)
}

// Quiet is the store without change signals: what a sync writes through,
// so that it is not woken by its own writes. The feature layers still see
// every change.
func (s *Store) Quiet() objstore.Store { return s.quiet }

// Engine is the disk engine under the layers, for the operations only it
// has (bucket configurations, version attributes, bucket tags).
func (s *Store) Engine() *disk.Store { return s.disk }

// Dir is the data directory.
func (s *Store) Dir() string { return s.opts.Dir }

// Server returns an S3 server over the store with every feature wired in.
func (s *Store) Server(cfg s3api.Config) *s3api.Server {
	cfg.Engine = s.disk
	s.configureIdentity(&cfg)
	s.configureLifecycle(&cfg)
	s.configureMFA(&cfg)
	if cfg.KMSKeys == nil && s.keys != nil {
		cfg.KMSKeys = s.keys
	}
	s.configureEvents(&cfg)
	return s3api.New(s.Store, cfg)
}
