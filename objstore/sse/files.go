package sse

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
	"github.com/cairnfs/cairn/internal/flock"
)

// Files of the key directory.
const (
	masterFile = "master.key"
	kmsFile    = "kms.json"
	lockFile   = "keys.lock"
	auditFile  = "audit.log"
)

// withLock runs fn holding the key directory's lock, which orders the
// changes of every process using the directory (a server and the admin
// commands).
func withLock(ctx context.Context, dir string, fn func() error) error {
	path := filepath.Join(dir, lockFile)
	for {
		f, err := flock.Lock(path)
		if err == nil {
			defer f.Close()
			return fn()
		}
		if !errors.Is(err, flock.ErrLocked) {
			return fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("lock %s: %w", path, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// loadMaster reads the master key, creating it on first use.
func loadMaster(ctx context.Context, dir string) ([]byte, error) {
	path := filepath.Join(dir, masterFile)
	if k, err := readMaster(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return k, err
	}
	var key []byte
	err := withLock(ctx, dir, func() error {
		k, err := readMaster(path)
		if err == nil || !errors.Is(err, os.ErrNotExist) {
			key = k
			return err
		}
		key = make([]byte, KeySize)
		if _, err := rand.Read(key); err != nil {
			return fmt.Errorf("master key: %w", err)
		}
		return atomicfile.WriteFile(path, key, 0o600)
	})
	return key, err
}

func readMaster(path string) ([]byte, error) {
	k, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read master key: %w", err)
	}
	if len(k) != KeySize {
		return nil, fmt.Errorf("master key %s holds %d bytes, not %d", path, len(k), KeySize)
	}
	return k, nil
}
