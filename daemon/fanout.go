package daemon

import "sync"

// fanout passes each signal of one channel on to every subscriber, so
// that several syncs on the embedded store all hear of its changes.
// Signals coalesce: a subscriber that has one pending gets no second.
type fanout struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
	done chan struct{}
}

func newFanout(src <-chan struct{}) *fanout {
	f := &fanout{subs: map[chan struct{}]struct{}{}, done: make(chan struct{})}
	go f.run(src)
	return f
}

func (f *fanout) run(src <-chan struct{}) {
	for {
		select {
		case <-f.done:
			return
		case <-src:
			f.mu.Lock()
			for ch := range f.subs {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
			f.mu.Unlock()
		}
	}
}

func (f *fanout) subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	return ch, func() {
		f.mu.Lock()
		delete(f.subs, ch)
		f.mu.Unlock()
	}
}

func (f *fanout) close() { close(f.done) }
