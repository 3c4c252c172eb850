package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// app is what every command shares: the standard streams, the logger and
// the data directory the global flags chose.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stderrTTY tells whether stderr is a terminal, where cp draws a
	// progress bar.
	stderrTTY bool
	logger    *slog.Logger
	getenv    func(string) string
	dataDir   string
}

// lockedError reports a data directory that another process holds.
type lockedError struct{ dir string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("data directory %s is in use by another cairn process", e.dir)
}

// withStore opens the embedded store in the data directory, runs fn on
// it and closes it.
func (a *app) withStore(ctx context.Context, fn func(objstore.Store) error) (err error) {
	if err := os.MkdirAll(a.dataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	st, err := disk.Open(a.dataDir, disk.Options{Logger: a.logger})
	if errors.Is(err, disk.ErrLocked) {
		return &lockedError{a.dataDir}
	}
	if err != nil {
		return fmt.Errorf("open data directory %s: %w", a.dataDir, err)
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close data directory %s: %w", a.dataDir, cerr)
		}
	}()
	return fn(st)
}

// warnf tells the user, on stderr, of something cairn skipped.
func (a *app) warnf(format string, args ...any) {
	fmt.Fprintf(a.stderr, "cairn: warning: "+format+"\n", args...)
}
