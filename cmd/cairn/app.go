package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/s3client"
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
	// args is the command line as cairn parsed it (for a command that
	// starts itself again in the background).
	args []string
	// globalGiven tells whether the command line gave the flag every
	// command takes (--data, --endpoint...) of that name.
	globalGiven func(name string) bool
	// remote, when its endpoint is set, points the commands at an S3
	// endpoint instead of the embedded store.
	remote remoteFlags
	// lifecycleDay is the lifecycle day of the embedded store (serve
	// --lifecycle-day); 0 means 24 hours.
	lifecycleDay time.Duration
}

// remoteFlags choose an S3 endpoint for the object commands.
type remoteFlags struct {
	endpoint string
	region   string
	profile  string
	caBundle string
}

// lockedError reports a data directory that another process holds.
type lockedError struct{ dir string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("data directory %s is in use by another cairn process", e.dir)
}

// withStore opens the store the flags chose (the embedded one in the data
// directory, or the --endpoint one), runs fn on it and closes it.
func (a *app) withStore(ctx context.Context, fn func(objstore.Store) error) error {
	if a.remote.endpoint != "" {
		return a.withRemote(ctx, fn)
	}
	return a.withEmbedded(ctx, fn)
}

// withRemote runs fn on the S3 endpoint of --endpoint. Credentials come
// from CAIRN_ACCESS_KEY / CAIRN_SECRET_KEY when set (as for cairn serve),
// else from the standard AWS chain (environment, ~/.aws profiles).
func (a *app) withRemote(ctx context.Context, fn func(objstore.Store) error) (err error) {
	st, err := s3client.New(ctx, s3client.Options{
		Endpoint:  a.remote.endpoint,
		Region:    a.remote.region,
		Profile:   a.remote.profile,
		CABundle:  a.remote.caBundle,
		AccessKey: a.getenv("CAIRN_ACCESS_KEY"),
		SecretKey: a.getenv("CAIRN_SECRET_KEY"),
	})
	if err != nil {
		return fmt.Errorf("endpoint %s: %w", a.remote.endpoint, err)
	}
	defer func() {
		if cerr := st.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return fn(st)
}

// withEmbedded runs fn on the embedded store in the data directory.
func (a *app) withEmbedded(ctx context.Context, fn func(objstore.Store) error) (err error) {
	st, err := embedded.Open(ctx, embedded.Options{Dir: a.dataDir, Logger: a.logger, LifecycleDay: a.lifecycleDay})
	if errors.Is(err, disk.ErrLocked) {
		return a.withDaemonStore(ctx, fn)
	}
	if err != nil {
		return err
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
