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
	done    chan struct{}
	waiters int // readers that take the outcome; each gets a hold of the block
	blk     *block
	err     error
}

// flights tracks the blocks being fetched, by block name.
type flights struct {
	mu sync.Mutex
	m  map[string]*call
}

// claim returns, for each name, the call in flight for it and whether the
// caller now owns that call (and must finish it). With wait the caller
// will wait for every call it got and counts among their waiters.
func (f *flights) claim(names []string, wait bool) ([]*call, []bool) {
	calls := make([]*call, len(names))
	owned := make([]bool, len(names))
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = make(map[string]*call)
	}
	for i, n := range names {
		c, ok := f.m[n]
		if !ok {
			c = &call{done: make(chan struct{})}
			f.m[n] = c
			owned[i] = true
		}
		if wait {
			c.waiters++
		}
		calls[i] = c
	}
	return calls, owned
}

// finish publishes the outcome of an owned call and forgets it. blk, when
// not nil, is held by the caller, and each waiter gets a hold of its own.
func (f *flights) finish(name string, c *call, blk *block, err error) {
	f.mu.Lock()
	if f.m[name] == c {
		delete(f.m, name)
	}
	waiters := c.waiters
	f.mu.Unlock()
	if blk != nil {
		for range waiters {
			blk.acquire() // cannot fail: the caller holds it
		}
	}
	c.blk, c.err = blk, err
	close(c.done)
}
