package disk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// leaseSpan is how far ahead of the last seq handed out the persisted
// lease reaches: one synced write per span of allocations.
const leaseSpan = uint64(10 * time.Minute)

// seqClock hands out strictly increasing 64-bit seqs that follow the wall
// clock in nanoseconds, so versions and uploads order by time. Every seq
// ever handed out is below a lease persisted in the KV, and a reopened
// store starts above it: seqs keep increasing even if the clock went back.
type seqClock struct {
	mu    sync.Mutex
	db    *pebble.DB
	last  uint64
	lease uint64
	now   func() time.Time
}

// seqLeaseName names the M key that holds the seq lease.
const seqLeaseName = "seq-lease"

func openClock(db *pebble.DB) (*seqClock, error) {
	c := &seqClock{db: db, now: time.Now}
	v, closer, err := db.Get(metaKey(seqLeaseName))
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		return c, nil
	case err != nil:
		return nil, fmt.Errorf("read seq lease: %w", err)
	}
	defer closer.Close()
	if len(v) != 8 {
		return nil, fmt.Errorf("seq lease of %d bytes: %w", len(v), errShortRecord)
	}
	c.lease = binary.BigEndian.Uint64(v)
	c.last = c.lease
	return c, nil
}

// next returns a seq greater than every seq returned before, by this
// store or any earlier opening of it.
func (c *seqClock) next() (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := max(uint64(c.now().UnixNano()), c.last+1)
	if s >= c.lease {
		lease := s + leaseSpan
		v := binary.BigEndian.AppendUint64(nil, lease)
		if err := c.db.Set(metaKey(seqLeaseName), v, pebble.Sync); err != nil {
			return 0, fmt.Errorf("extend seq lease: %w", err)
		}
		c.lease = lease
	}
	c.last = s
	return s, nil
}
