package events

import "strings"

// subscriberBuffer is how many events a subscriber may fall behind by
// before it is dropped.
const subscriberBuffer = 1024

// subscriber is one in-process reader of events.
type subscriber struct {
	bucket, prefix string
	ch             chan Event
}

// Subscribe returns the events of bucket's keys under prefix ("" for
// all), as they happen, and a function that ends the subscription. The
// channel is closed when the subscription ends, when the dispatcher
// closes, and when the reader falls more than a thousand events behind:
// a reader that sees it closed should list what it watches again and
// subscribe anew.
func (d *Dispatcher) Subscribe(bucket, prefix string) (<-chan Event, func()) {
	s := &subscriber{bucket: bucket, prefix: prefix, ch: make(chan Event, subscriberBuffer)}
	d.life.RLock()
	defer d.life.RUnlock()
	if d.closed {
		close(s.ch)
		return s.ch, func() {}
	}
	d.mu.Lock()
	d.subs[s] = struct{}{}
	d.mu.Unlock()
	return s.ch, func() { d.unsubscribe(s) }
}

// unsubscribe ends s, once.
func (d *Dispatcher) unsubscribe(s *subscriber) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.subs[s]; ok {
		delete(d.subs, s)
		close(s.ch)
	}
}

// fanOut hands e to every subscriber watching it, dropping those that
// cannot take it.
func (d *Dispatcher) fanOut(e Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for s := range d.subs {
		if s.bucket != e.Bucket || !strings.HasPrefix(e.Key, s.prefix) {
			continue
		}
		select {
		case s.ch <- e:
		default:
			delete(d.subs, s)
			close(s.ch)
		}
	}
}

// closeSubscribers ends every subscription.
func (d *Dispatcher) closeSubscribers() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for s := range d.subs {
		delete(d.subs, s)
		close(s.ch)
	}
}
