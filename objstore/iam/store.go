package iam

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Store is the identity file of a data directory. Its methods are safe
// for concurrent use; the lookups a server makes re-read the file when it
// has changed since they last read it.
type Store struct {
	path string
	log  *slog.Logger

	mu    sync.Mutex
	stamp stamp
	snap  *snapshot
}

// Open returns the identity file of the data directory dir; it need not
// exist yet. log receives what goes wrong re-reading it; nil means
// slog.Default().
func Open(dir string, log *slog.Logger) *Store {
	if log == nil {
		log = slog.Default()
	}
	return &Store{path: filepath.Join(dir, FileName), log: log}
}

// Path is the identity file's path.
func (s *Store) Path() string { return s.path }

// Read returns the file's current state.
func (s *Store) Read() (*State, error) { return readState(s.path) }

// Update changes the state with fn under the file's lock and writes it
// back; nothing is written when fn fails.
func (s *Store) Update(ctx context.Context, fn func(*State) error) error {
	release, err := lock(ctx, s.path)
	if err != nil {
		return err
	}
	defer release()
	st, err := readState(s.path)
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		return err
	}
	if st.RootAccount == "" {
		st.RootAccount = DefaultRootAccount
	}
	return writeState(s.path, st)
}

// stamp identifies one version of the file.
type stamp struct {
	info    os.FileInfo
	size    int64
	modTime time.Time
}

func (a stamp) same(b stamp) bool {
	if a.info == nil || b.info == nil {
		return a.info == nil && b.info == nil
	}
	return os.SameFile(a.info, b.info) && a.size == b.size && a.modTime.Equal(b.modTime)
}

// current returns the snapshot of the file as it is now, re-reading it
// when it changed. A file that cannot be read leaves the last good
// snapshot in use.
func (s *Store) current() *snapshot {
	var now stamp
	if fi, err := os.Stat(s.path); err == nil {
		now = stamp{info: fi, size: fi.Size(), modTime: fi.ModTime()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap != nil && s.stamp.same(now) {
		return s.snap
	}
	st, err := readState(s.path)
	if err != nil {
		s.log.Error("identity file unreadable; keeping the last one read", "path", s.path, "err", err)
		if s.snap == nil {
			s.snap = newSnapshot(&State{}, s.log)
		}
		return s.snap
	}
	s.snap, s.stamp = newSnapshot(st, s.log), now
	return s.snap
}
