package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// engineSuite measures the embedded engine in-process against the
// physical ceiling of the same disk.
type engineSuite struct{}

func (engineSuite) name() string { return "engine" }

func (engineSuite) about() string {
	return "objstore/disk in-process vs raw files and a bare pebble DB on the same disk"
}

func (engineSuite) run(ctx context.Context, e *env) (*table, error) {
	t := &table{title: "suite engine: objstore/disk in-process vs the same disk"}
	if err := runPutGet(ctx, e, t); err != nil {
		return nil, err
	}
	if err := runList(ctx, e, t); err != nil {
		return nil, err
	}
	return t, nil
}

// benchBucket is the bucket every engine case works in.
const benchBucket = "bench"

// openEngine opens (or creates) an engine in dir with the bench bucket.
func openEngine(ctx context.Context, dir string) (*disk.Store, error) {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := disk.Open(dir, disk.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open engine in %s (remove it if an older engine left it): %w", dir, err)
	}
	err = st.CreateBucket(ctx, benchBucket, objstore.CreateBucketOptions{})
	if err != nil && !errors.Is(err, objstore.ErrBucketAlreadyOwnedByYou) {
		st.Close()
		return nil, fmt.Errorf("create bucket %s: %w", benchBucket, err)
	}
	return st, nil
}
