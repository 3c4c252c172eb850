package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// ConfigSource reads a bucket's configuration documents; the disk engine
// is one.
type ConfigSource interface {
	GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, bool, error)
}

// Options configure a Dispatcher.
type Options struct {
	// Dir holds the delivery queue (a data directory's events/).
	Dir string
	// Configs gives the buckets' notification configurations.
	Configs ConfigSource
	// Webhooks resolves target ARNs to webhooks.
	Webhooks *Webhooks
	// Region and OwnerID fill events that carry none. Default
	// "us-east-1" and "cairn".
	Region, OwnerID string
	// Client sends the POSTs; default a client with a 30 s timeout.
	Client *http.Client
	// RetryMin and RetryMax bound the wait between attempts to deliver a
	// record, which doubles after each failure. Default 1 s and 2 min.
	RetryMin, RetryMax time.Duration
	// Logger receives delivery failures; default slog.Default().
	Logger *slog.Logger
}

// Dispatcher takes events, queues the records the buckets' notification
// configurations ask for and delivers them; it also hands every event to
// in-process subscribers. It is a Publisher.
type Dispatcher struct {
	o   Options
	log *slog.Logger
	q   *queue

	seqMu   sync.Mutex
	lastSeq uint64

	// life guards closed: Publish holds it shared while it queues.
	life    sync.RWMutex
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
	workers sync.WaitGroup

	mu      sync.Mutex
	running map[string]chan struct{} // target → wake signal of its worker
	subs    map[*subscriber]struct{}
	configs map[string]parsedConfig // bucket → its parsed configuration
}

// parsedConfig caches a bucket's configuration by its document.
type parsedConfig struct {
	doc string
	cfg *Config
}

// Open opens the delivery queue in o.Dir and starts delivering what it
// holds.
func Open(ctx context.Context, o Options) (*Dispatcher, error) {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.OwnerID == "" {
		o.OwnerID = "cairn"
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.RetryMin <= 0 {
		o.RetryMin = time.Second
	}
	if o.RetryMax < o.RetryMin {
		o.RetryMax = max(2*time.Minute, o.RetryMin)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	q, last, err := openQueue(o.Dir, o.Logger)
	if err != nil {
		return nil, err
	}
	d := &Dispatcher{
		o: o, log: o.Logger, q: q, lastSeq: last,
		running: map[string]chan struct{}{},
		subs:    map[*subscriber]struct{}{},
		configs: map[string]parsedConfig{},
	}
	d.ctx, d.cancel = context.WithCancel(context.WithoutCancel(ctx))
	targets, err := q.targets()
	if err != nil {
		q.close()
		return nil, err
	}
	for _, t := range targets {
		d.wake(t)
	}
	return d, nil
}

// SetDefaults sets the region and bucket owner of events that carry none.
func (d *Dispatcher) SetDefaults(region, ownerID string) {
	d.seqMu.Lock()
	defer d.seqMu.Unlock()
	if region != "" {
		d.o.Region = region
	}
	if ownerID != "" {
		d.o.OwnerID = ownerID
	}
}

// stamp gives e its sequencer and fills what it lacks.
func (d *Dispatcher) stamp(e *Event) uint64 {
	d.seqMu.Lock()
	defer d.seqMu.Unlock()
	seq := max(d.lastSeq+1, uint64(time.Now().UnixNano()))
	d.lastSeq = seq
	e.Sequencer = fmt.Sprintf("%016X", seq)
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if e.Region == "" {
		e.Region = d.o.Region
	}
	if e.OwnerID == "" {
		e.OwnerID = d.o.OwnerID
	}
	return seq
}

// Publish queues the record e's bucket configuration asks for, durably,
// and hands e to subscribers. A failure to queue is logged: it never
// fails the change that caused the event.
func (d *Dispatcher) Publish(ctx context.Context, e Event) {
	d.life.RLock()
	defer d.life.RUnlock()
	if d.closed {
		d.log.Error("event after the store closed", "event", e.Name, "bucket", e.Bucket, "key", e.Key)
		return
	}
	seq := d.stamp(&e)
	if err := d.enqueue(ctx, e, seq); err != nil {
		d.log.Error("queue event notification", "event", e.Name, "bucket", e.Bucket, "key", e.Key, "err", err)
	}
	d.fanOut(e)
}

// enqueue queues e's record for the target of the configuration that
// takes it, if one does (S3 allows at most one).
func (d *Dispatcher) enqueue(ctx context.Context, e Event, seq uint64) error {
	cfg, err := d.config(ctx, e.Bucket)
	if err != nil || cfg == nil {
		return err
	}
	for _, tc := range cfg.All() {
		if !tc.Matches(e) {
			continue
		}
		body, err := json.Marshal(Records{Records: []Record{NewRecord(e, tc.ID)}})
		if err != nil {
			return fmt.Errorf("encode event record: %w", err)
		}
		if err := d.q.add(tc.Target(), seq, body); err != nil {
			return err
		}
		d.wake(tc.Target())
	}
	return nil
}

// config returns the bucket's notification configuration, nil when it
// has none.
func (d *Dispatcher) config(ctx context.Context, bucket string) (*Config, error) {
	doc, ok, err := d.o.Configs.GetBucketConfig(ctx, bucket, ConfigName)
	if errors.Is(err, objstore.ErrNoSuchBucket) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read notification configuration of %s: %w", bucket, err)
	}
	if !ok {
		return nil, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if pc, ok := d.configs[bucket]; ok && pc.doc == string(doc) {
		return pc.cfg, nil
	}
	cfg, err := ParseConfig(doc, nil)
	if err != nil {
		return nil, fmt.Errorf("notification configuration of %s: %w", bucket, err)
	}
	d.configs[bucket] = parsedConfig{doc: string(doc), cfg: cfg}
	return cfg, nil
}

// Pending returns the number of records queued for target and not yet
// delivered.
func (d *Dispatcher) Pending(target string) (int, error) {
	return d.q.count(target)
}

// Close stops delivery (what is queued stays for the next Open), closes
// the subscribers' channels and the queue.
func (d *Dispatcher) Close() error {
	d.life.Lock()
	if d.closed {
		d.life.Unlock()
		return nil
	}
	d.closed = true
	d.life.Unlock()
	d.cancel()
	d.workers.Wait()
	d.closeSubscribers()
	return d.q.close()
}
