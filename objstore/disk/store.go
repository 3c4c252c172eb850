package disk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
	"github.com/cockroachdb/pebble/v2"
)

// ErrLocked reports that another process (or another open Store) holds the
// data directory.
var ErrLocked = errors.New("data directory is in use by another process")

// Store is the embedded engine. It implements objstore.Store.
type Store struct {
	dir    string
	opts   Options
	log    *slog.Logger
	layout layout
	lock   *os.File
	db     *pebble.DB
	clock  *seqClock
	locks  *lockTable
	files  *fileTable
	// readBufs recycles the buffers encrypted data is read into.
	readBufs sse.Buffers

	// mu guards db against Close: every use of the KV holds it shared.
	mu        sync.RWMutex
	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
	stopSweep context.CancelFunc
	sweepDone chan struct{}
}

var _ objstore.Store = (*Store)(nil)

// Open opens (creating if needed) the engine whose data lives under dir.
// It fails with an error wrapping ErrLocked, naming dir, when another
// process holds it.
func Open(dir string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	lk := newLayout(dir)
	lock, err := lockDir(dir, lk.lockFile())
	if err != nil {
		return nil, err
	}
	s, err := openLocked(dir, lk, lock, opts)
	if err != nil {
		unlockDir(lock)
		return nil, err
	}
	return s, nil
}

func openLocked(dir string, lk layout, lock *os.File, opts Options) (*Store, error) {
	openTime := time.Now()
	if err := lk.prepare(); err != nil {
		return nil, err
	}
	db, err := openPebble(lk.metaDir(), opts.Logger)
	if err != nil {
		return nil, err
	}
	clock, err := openClock(db)
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{
		dir: dir, opts: opts, log: opts.Logger, layout: lk, lock: lock,
		db: db, clock: clock, locks: newLockTable(),
		files: newFileTable(lk, opts.Logger),
	}
	s.startSweep(openTime)
	return s, nil
}

func openPebble(dir string, log *slog.Logger) (*pebble.DB, error) {
	cache := pebble.NewCache(64 << 20)
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{
		Cache:              cache,
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             pebbleLogger{log: log},
	})
	if err != nil {
		return nil, fmt.Errorf("open metadata store %s: %w", dir, err)
	}
	return db, nil
}

// Close stops the background sweep, closes the KV and releases the data
// directory. Later calls on the Store fail with objstore.ErrStoreClosed;
// Close itself may be called again and then does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.stopSweep()
		<-s.sweepDone
		s.files.close()
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.db.Close(); err != nil {
			s.closeErr = fmt.Errorf("close metadata store: %w", err)
		}
		if err := unlockDir(s.lock); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("release %s: %w", s.dir, err)
		}
	})
	return s.closeErr
}

// enter admits a call to the KV, or fails once the Store is closed. The
// returned func ends the call; it must not be nested.
func (s *Store) enter() (func(), error) {
	s.mu.RLock()
	if s.closed.Load() {
		s.mu.RUnlock()
		return nil, fmt.Errorf("data directory %s: %w", s.dir, objstore.ErrStoreClosed)
	}
	return s.mu.RUnlock, nil
}
