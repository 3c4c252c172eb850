package replicate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
)

// Engine is what replication needs of the store beyond objstore.Store:
// the buckets' configuration documents and in-place updates of a
// version's replication status.
type Engine interface {
	GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, bool, error)
	UpdateVersion(ctx context.Context, bucket, key, versionID string, change func(*objstore.ObjectInfo) error) (objstore.ObjectInfo, error)
}

// Defaults of Options.
const (
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
	DefaultGiveUp     = 24 * time.Hour
)

// Options configure a Replicator.
type Options struct {
	// Dir is the data directory; the queue and the targets live in its
	// replication/ folder.
	Dir string
	// Engine reads the buckets' configurations and updates statuses.
	Engine Engine
	// Events, when set, takes the s3:Replication:* events.
	Events events.Publisher
	// Logger receives the worker's logs; slog.Default() when nil.
	Logger *slog.Logger
	// MinBackoff and MaxBackoff bound the wait before a failed task is
	// tried again: it doubles from MinBackoff up to MaxBackoff.
	MinBackoff, MaxBackoff time.Duration
	// GiveUp is how long a task is retried before it is dropped, its
	// version left FAILED (replicate-existing queues it again).
	GiveUp time.Duration
	// Poll is how often the worker looks for replicate-existing requests;
	// one second when zero.
	Poll time.Duration
}

// Replicator replicates the versions written through its Store: it owns
// the queue and runs the worker.
type Replicator struct {
	inner   objstore.Store
	o       Options
	log     *slog.Logger
	queue   *Queue
	targets *Targets
	configs configCache
	remotes remotes
	wake    chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
}

// New opens the replication queue of the data directory and starts the
// worker over inner, the store replicas are written to and sources read
// from. Close stops it.
func New(ctx context.Context, inner objstore.Store, o Options) (*Replicator, error) {
	if o.Engine == nil {
		return nil, errors.New("replication needs the store's engine")
	}
	o = o.withDefaults()
	q, err := OpenQueue(filepath.Join(o.Dir, "replication", "queue"))
	if err != nil {
		return nil, err
	}
	r := &Replicator{
		inner: inner, o: o, log: o.Logger, queue: q,
		targets: NewTargets(TargetsFile(o.Dir)),
		wake:    make(chan struct{}, 1), done: make(chan struct{}),
	}
	r.remotes.targets = r.targets
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	go r.run(wctx)
	return r, nil
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.GiveUp <= 0 {
		o.GiveUp = DefaultGiveUp
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	return o
}

// Close stops the worker; queued tasks stay for the next start.
func (r *Replicator) Close() error {
	r.cancel()
	<-r.done
	return r.remotes.close()
}

// Pending is the number of tasks on the queue.
func (r *Replicator) Pending() int { return r.queue.Len() }

// signal wakes the worker without blocking.
func (r *Replicator) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// config returns the bucket's replication configuration, nil when it has
// none.
func (r *Replicator) config(ctx context.Context, bucket string) (*Config, error) {
	doc, ok, err := r.o.Engine.GetBucketConfig(ctx, bucket, ConfigName)
	if err != nil || !ok {
		return nil, err
	}
	return r.configs.parse(doc, bucket)
}

// configCache keeps the parsed form of the configuration documents last
// read, so that a write does not parse XML.
type configCache struct {
	mu sync.Mutex
	m  map[string]cachedConfig
}

type cachedConfig struct {
	doc string
	cfg *Config
}

func (c *configCache) parse(doc []byte, bucket string) (*Config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[bucket]; ok && e.doc == string(doc) {
		return e.cfg, nil
	}
	cfg, err := Parse(doc, bucket)
	if err != nil {
		return nil, fmt.Errorf("replication configuration of %s: %w", bucket, err)
	}
	if c.m == nil {
		c.m = map[string]cachedConfig{}
	}
	c.m[bucket] = cachedConfig{doc: string(doc), cfg: cfg}
	return cfg, nil
}

// setStatus records a version's replication status.
func (r *Replicator) setStatus(ctx context.Context, bucket, key, versionID, status string) error {
	_, err := r.o.Engine.UpdateVersion(ctx, bucket, key, versionID, func(oi *objstore.ObjectInfo) error {
		oi.ReplicationStatus = status
		return nil
	})
	if err != nil {
		return fmt.Errorf("set replication status of %s/%s version %s to %s: %w", bucket, key, versionID, status, err)
	}
	return nil
}

// publish sends an s3:Replication:* event when a publisher is set.
func (r *Replicator) publish(ctx context.Context, name string, info objstore.ObjectInfo) {
	if r.o.Events == nil {
		return
	}
	r.o.Events.Publish(ctx, events.Event{
		Name: name, Bucket: info.Bucket, Key: info.Key, Size: info.Size,
		ETag: info.ETag, VersionID: info.VersionID, Time: time.Now().UTC(),
	})
}
