package engine

import (
	"log/slog"
	"os"
	"time"

	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/ignore"
)

// Mode is what a sync carries in which direction.
type Mode string

// The sync modes.
const (
	// TwoWay carries creates, edits, deletes and renames both ways.
	TwoWay Mode = "two-way"
	// Backup uploads local changes only; local deletes become delete
	// markers; nothing remote changes the local folder.
	Backup Mode = "backup"
)

// TempPrefix starts the names of the temporary files downloads are
// written to before they are renamed into place. The sync never uploads
// such files.
const TempPrefix = ignore.TempPrefix

// Ignorer tells which local paths the sync leaves alone.
type Ignorer interface {
	Match(rel string, isDir bool) bool
}

// Defaults of Options.
const (
	DefaultMaxDelete   = 50
	DefaultSettle      = 300 * time.Millisecond
	DefaultInterval    = 30 * time.Second
	DefaultConcurrency = 8
)

// Options tune an Engine. The zero value uses the defaults.
type Options struct {
	// Mode is TwoWay (the default) or Backup.
	Mode Mode
	// DryRun plans passes without changing anything.
	DryRun bool
	// Force lifts the MaxDelete and empty-side refusals.
	Force bool
	// MaxDelete is the largest share of the synced files, in percent, one
	// pass may delete (default 50).
	MaxDelete int
	// Settle is how long a file must go unmodified before it is uploaded
	// (default 300ms).
	Settle time.Duration
	// Interval is how often Run lists the remote side (default 30s).
	Interval time.Duration
	// Concurrency is how many files move at once (default 8).
	Concurrency int
	// Transfer tunes multipart uploads and parallel downloads.
	Transfer transfer.Options
	// Ignore, when set, names local paths to leave alone. The state
	// directory and temporary files are always left alone.
	Ignore Ignorer
	// Reporter is told of each pass's progress; nil reports nothing.
	Reporter Reporter
	// Logger receives what happens; nil discards it.
	Logger *slog.Logger
	// Host names this machine in conflict copies (default the hostname).
	Host string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// RemoteChanged, when set, tells Run that the remote side changed
	// (for a store in the same process), so it need not wait for Interval.
	RemoteChanged <-chan struct{}
}

func (o Options) withDefaults() Options {
	if o.Mode == "" {
		o.Mode = TwoWay
	}
	if o.MaxDelete <= 0 {
		o.MaxDelete = DefaultMaxDelete
	}
	if o.Settle <= 0 {
		o.Settle = DefaultSettle
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Reporter == nil {
		o.Reporter = nopReporter{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Host == "" {
		o.Host, _ = os.Hostname()
		if o.Host == "" {
			o.Host = "localhost"
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
