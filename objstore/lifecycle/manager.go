package lifecycle

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
)

// Engine is what a Manager needs of the store it works on: the Store
// itself, the bucket configuration documents and in-place updates of a
// version's attributes. The embedded disk engine implements it.
type Engine interface {
	objstore.Store
	GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, bool, error)
	PutBucketConfig(ctx context.Context, bucket, name string, doc []byte) error
	DeleteBucketConfig(ctx context.Context, bucket, name string) error
	UpdateVersion(ctx context.Context, bucket, key, versionID string, change func(*objstore.ObjectInfo) error) (objstore.ObjectInfo, error)
}

// Options configure a Manager.
type Options struct {
	// Engine is the store the rules act on. Its changes bypass the
	// feature layers: lifecycle work is neither notified as a client's
	// change nor replicated, as in S3.
	Engine Engine
	// Day is the length of a lifecycle day; 24 hours when 0. A shorter
	// day speeds every rule and restore up by the same factor.
	Day time.Duration
	// Events takes the events of lifecycle work; optional.
	Events events.Publisher
	// Logger receives the worker's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Manager applies the lifecycle rules of every bucket of an engine and
// runs the restores of archived versions.
type Manager struct {
	engine Engine
	day    time.Duration
	events events.Publisher
	log    *slog.Logger
	now    func() time.Time

	// jobsMu serializes the changes of the restore-job documents.
	jobsMu sync.Mutex
	// cache holds the last parsed configuration of each bucket.
	cache configCache
}

// New returns a Manager; Run starts its worker.
func New(o Options) *Manager {
	if o.Day <= 0 {
		o.Day = Day
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Manager{engine: o.Engine, day: o.Day, events: o.Events, log: o.Logger, now: o.Now}
}

// DayLength is the length of a lifecycle day.
func (m *Manager) DayLength() time.Duration { return m.day }

// Interval is how often the worker applies the rules: every lifecycle
// hour, and no more often than every 100 ms.
func (m *Manager) Interval() time.Duration { return max(m.day/24, 100*time.Millisecond) }

// restoreInterval is how often the worker looks for restores to complete
// or expire: every lifecycle minute, and no more often than every 100 ms.
func (m *Manager) restoreInterval() time.Duration {
	return max(m.day/(24*60), 100*time.Millisecond)
}

// Run applies the rules at once and then every Interval, and moves the
// restores on every lifecycle minute, until ctx ends.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTicker(m.restoreInterval())
	defer t.Stop()
	var last time.Time
	for {
		rules := last.IsZero() || time.Since(last) >= m.Interval()
		if rules {
			last = time.Now()
		}
		if err := m.pass(ctx, rules); err != nil && ctx.Err() == nil {
			m.log.Warn("lifecycle pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// publish sends an event of the manager's own work, when it has a
// publisher.
func (m *Manager) publish(ctx context.Context, name, bucket string, info objstore.ObjectInfo) {
	if m.events == nil {
		return
	}
	m.events.Publish(ctx, events.Event{
		Name: name, Bucket: bucket, Key: info.Key, Size: info.Size,
		ETag: info.ETag, VersionID: info.VersionID, Time: m.now(),
	})
}
