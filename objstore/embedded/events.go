package embedded

import (
	"context"
	"path/filepath"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// EventsDir is the directory of a data directory that holds the queue of
// event records not yet delivered.
const EventsDir = "events"

// withEvents layers the event notifications over st: every change made
// through the layer is published to a dispatcher that queues the records
// the buckets' notification configurations ask for under DATA_DIR/events
// and delivers them to the webhooks registered in DATA_DIR/webhooks.json.
// The features layered above publish their own events on s.events.
func (s *Store) withEvents(ctx context.Context, st objstore.Store) (objstore.Store, error) {
	d, err := events.Open(ctx, events.Options{
		Dir:      filepath.Join(s.opts.Dir, EventsDir),
		Configs:  s.disk,
		Webhooks: events.OpenWebhooks(s.opts.Dir),
		Logger:   s.log,
	})
	if err != nil {
		return nil, err
	}
	s.onClose(d.Close)
	s.events = d
	return events.Wrap(st, d), nil
}

// dispatcher returns the events dispatcher, nil before withEvents ran.
func (s *Store) dispatcher() *events.Dispatcher {
	d, _ := s.events.(*events.Dispatcher)
	return d
}

// Subscribe returns the events of bucket's keys under prefix as they
// happen in this process, and a function that ends the subscription (see
// events.Dispatcher.Subscribe for when the channel closes).
func (s *Store) Subscribe(bucket, prefix string) (<-chan events.Event, func()) {
	d := s.dispatcher()
	if d == nil {
		ch := make(chan events.Event)
		close(ch)
		return ch, func() {}
	}
	return d.Subscribe(bucket, prefix)
}

// configureEvents tells the dispatcher the server's region and owner, and
// has the server check notification targets against the registered
// webhooks.
func (s *Store) configureEvents(cfg *s3api.Config) {
	d := s.dispatcher()
	if d == nil {
		return
	}
	d.SetDefaults(cfg.Region, s3api.OwnerID(cfg.Root))
	hooks := events.OpenWebhooks(s.opts.Dir)
	cfg.CheckNotificationTarget = hooks.Check
}
