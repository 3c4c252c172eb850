package cache

import (
	"errors"
	"sync"
)

// errRetry ends a call whose block turned out to be cached already: its
// waiters look the block up again.
var errRetry = errors.New("cache: block became available, look up again")

// call is one fetch of one block that concurrent readers share.
type call struct {
	done chan struct{}
	data []byte
	err  error
}

// flights tracks the blocks being fetched, by block name.
type flights struct {
	mu sync.Mutex
	m  map[string]*call
}

// claim returns, for each name, the call in flight for it and whether the
// caller now owns that call (and must finish it).
func (f *flights) claim(names []string) ([]*call, []bool) {
	calls := make([]*call, len(names))
	owned := make([]bool, len(names))
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = make(map[string]*call)
	}
	for i, n := range names {
		if c, ok := f.m[n]; ok {
			calls[i] = c
			continue
		}
		c := &call{done: make(chan struct{})}
		f.m[n] = c
		calls[i], owned[i] = c, true
	}
	return calls, owned
}

// finish publishes the outcome of an owned call and forgets it.
func (f *flights) finish(name string, c *call, data []byte, err error) {
	f.mu.Lock()
	if f.m[name] == c {
		delete(f.m, name)
	}
	f.mu.Unlock()
	c.data, c.err = data, err
	close(c.done)
}
