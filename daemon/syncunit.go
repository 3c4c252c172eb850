package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/engine"
	"github.com/cairnfs/cairn/sync/ignore"
	"github.com/cairnfs/cairn/sync/pair"
	"github.com/cairnfs/cairn/sync/state"
)

// syncUnit keeps a folder in step with a bucket prefix, as cairn sync.
type syncUnit struct {
	env *env
	cfg SyncConfig
	rec *syncRecorder
}

func newSyncUnit(e *env, c SyncConfig) unit {
	return &syncUnit{env: e, cfg: c, rec: e.metrics.syncRecorder(c.Name)}
}

// pair is the pair the config describes.
func (c SyncConfig) pair(data string) pair.Pair {
	bucket, prefix, _ := ParseTarget(c.RemoteURL)
	p := pair.Pair{Local: c.Local, Bucket: bucket, Prefix: prefix, Endpoint: c.Endpoint,
		Region: c.Region, Profile: c.Profile, Mode: c.Mode}
	if p.Endpoint == "" {
		p.DataDir = data
	}
	return p
}

func (u *syncUnit) run(ctx context.Context, ready func()) error {
	p := u.cfg.pair(u.env.data)
	if fi, err := os.Stat(p.Local); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: not a directory", p.Local)
	}
	if old, err := pair.Load(p.Local); err == nil && (old.Bucket != p.Bucket || old.Prefix != p.Prefix || old.Endpoint != p.Endpoint) {
		return fmt.Errorf("%s is already synced with %s; remove %s to pair it with %s",
			p.Local, old.Remote(), filepath.Join(p.Local, pair.StateDirName), p.Remote())
	}
	st, err := u.env.stores.get(ctx, u.cfg.Remote, true)
	if err != nil {
		return err
	}
	if st, err = u.cfg.WriteConfig.apply(st); err != nil {
		return err
	}
	log := u.env.log.With("sync", u.cfg.Name)
	if err := ensureVersioning(ctx, st, p, u.cfg.EnableVersioning, log.Info, log.Warn); err != nil {
		return err
	}
	if err := p.Save(); err != nil {
		return err
	}
	db, err := state.Open(filepath.Join(p.StateDir(), "state"))
	if err != nil {
		return err
	}
	defer db.Close()
	ign, err := ignore.New(p.Local, ignore.Options{NoDefaults: u.cfg.NoDefaultExcludes, Extra: u.cfg.Exclude, Logger: log})
	if err != nil {
		return err
	}
	opts := engine.Options{
		Mode: engine.Mode(p.Mode), Force: u.cfg.Force, MaxDelete: u.cfg.MaxDelete,
		Settle: duration(u.cfg.Settle), Interval: duration(u.cfg.Interval), Concurrency: u.cfg.Concurrency,
		Transfer: transfer.Options{PartSize: int64(u.cfg.PartSize)},
		Ignore:   ign, Reporter: u.rec, Logger: log,
	}
	if u.cfg.Endpoint == "" {
		ch, unsubscribe := u.env.stores.subscribe()
		defer unsubscribe()
		opts.RemoteChanged = ch
	}
	log.Info("syncing", "local", p.Local, "remote", p.Remote(), "mode", p.Mode)
	ready()
	return u.runEngine(ctx, engine.New(st, p, db, opts))
}

// runEngine runs passes until ctx ends; then a pass in flight may finish,
// for at most the stop timeout.
func (u *syncUnit) runEngine(ctx context.Context, e *engine.Engine) error {
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			u.rec.waitIdle(u.env.stopTimeout)
			cancel()
		case <-stopped:
		}
	}()
	err := e.Run(work, u.rec.passDone)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func (u *syncUnit) fill(st *UnitStatus) { u.rec.fill(st) }

// ensureVersioning makes sure the bucket of p exists and, in backup mode,
// keeps versions; enable turns versioning on. A two-way sync without
// versions only warns.
func ensureVersioning(ctx context.Context, st objstore.Store, p pair.Pair, enable bool, info, warn func(string, ...any)) error {
	v, err := st.GetBucketVersioning(ctx, p.Bucket)
	if err != nil {
		return fmt.Errorf("s3://%s: %w", p.Bucket, err)
	}
	if v == objstore.VersioningEnabled {
		return nil
	}
	if enable {
		if err := st.PutBucketVersioning(ctx, p.Bucket, objstore.VersioningEnabled); err != nil {
			return fmt.Errorf("s3://%s: enable versioning: %w", p.Bucket, err)
		}
		info("turned on versioning", "bucket", p.Bucket)
		return nil
	}
	if engine.Mode(p.Mode) == engine.Backup {
		return fmt.Errorf("s3://%s: versioning is off, so a backup would not keep old versions; set enable_versioning to turn it on", p.Bucket)
	}
	warn("versioning is off: overwritten and deleted files are not kept", "bucket", p.Bucket)
	return nil
}

func duration(d Duration) time.Duration { return time.Duration(d) }
