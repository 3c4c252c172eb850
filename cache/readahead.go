package cache

import (
	"context"
	"sync"
)

// DefaultMaxReadahead is the largest prefetch window a Readahead grows to
// when NewReadahead is given 0.
const DefaultMaxReadahead = 64 << 20

// seqSlack is how far a read may start from where the previous one ended
// and still count as sequential: readers that issue requests in parallel
// (the kernel's read-ahead among them) deliver them slightly out of
// order. A read of n bytes may also be 2n away, so that requests larger
// than seqSlack that arrive swapped keep the stream.
const seqSlack = 128 << 10

// Readahead watches the reads of one open file and prefetches ahead of them
// while they are sequential. Each sequential read doubles the window, from
// one block up to the maximum; a read elsewhere resets it, so a random
// reader fetches only what it reads. It is safe for concurrent use.
type Readahead struct {
	c     *Cache
	obj   ObjectID
	size  int64
	fetch Fetcher
	max   int64

	mu     sync.Mutex
	next   int64 // end of the furthest read of the current sequential stream
	window int64 // current window in bytes, 0 after a random read
	ahead  int64 // prefetch has been requested up to here
}

// NewReadahead returns a Readahead for reads of obj (size bytes in all)
// through c, prefetching with fetch. maxWindow bounds the window; 0 means
// DefaultMaxReadahead.
func NewReadahead(c *Cache, obj ObjectID, size int64, fetch Fetcher, maxWindow int64) *Readahead {
	if maxWindow <= 0 {
		maxWindow = DefaultMaxReadahead
	}
	return &Readahead{c: c, obj: obj, size: size, fetch: fetch, max: max(maxWindow, c.bs)}
}

// ReadAt records the read, prefetches if it is sequential, and reads
// through the cache like Cache.ReadAt.
func (r *Readahead) ReadAt(ctx context.Context, p []byte, off int64) (int, error) {
	r.Observe(off, int64(len(p)))
	return r.c.ReadAt(ctx, r.obj, r.size, p, off, r.fetch)
}

// Read records the read, prefetches if it is sequential, and returns the
// bytes [off, off+len(p)) of the object, cut at its end: a slice of the
// cached block when they lie within one (see Cache.Slice), else p filled
// like Cache.ReadAt, with io.EOF when the read reaches the end. The caller
// releases the Bytes once done with them.
//
// A random read (one that starts no sequential stream) of bytes no tier
// holds fetches just those bytes, not their blocks, and caches nothing:
// a reader that jumps around an object moves only what it reads.
func (r *Readahead) Read(ctx context.Context, p []byte, off int64) (Bytes, error) {
	r.Observe(off, int64(len(p)))
	if r.Window() == 0 && off < r.size && len(p) > 0 {
		n := min(int64(len(p)), r.size-off)
		if b, ok := r.c.peek(r.obj, r.size, off, n); ok {
			return b, nil
		}
		data, err := r.c.fetchDirect(ctx, r.obj, off, n, r.fetch)
		return Bytes{data: data}, err
	}
	if b, ok, err := r.c.Slice(ctx, r.obj, r.size, off, int64(len(p)), r.fetch); ok || err != nil {
		return b, err
	}
	k, err := r.c.ReadAt(ctx, r.obj, r.size, p, off, r.fetch)
	return Bytes{data: p[:k]}, err
}

// Observe records a read of n bytes at off and, when it continues a
// sequential stream, grows the window and prefetches the part of
// [off+n, off+n+window) not yet requested, starting at the first block
// after the read so the read itself never waits for the prefetch queue.
func (r *Readahead) Observe(off, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	end := off + max(n, 0)
	slack := max(seqSlack, 2*n)
	if off < r.next-slack || off > r.next+slack {
		r.next, r.window, r.ahead = end, 0, 0
		return
	}
	r.window = min(max(2*r.window, r.c.bs), r.max)
	r.next = max(r.next, end)
	from := max(r.ahead, (r.next+r.c.bs-1)/r.c.bs*r.c.bs)
	to := min(r.next+r.window, r.size)
	if from >= to || from-r.next > r.window/2 {
		return // enough is already on its way
	}
	r.c.Prefetch(r.obj, r.size, from, to-from, r.fetch)
	r.ahead = to
}

// Window returns the current prefetch window in bytes (0 after a random read).
func (r *Readahead) Window() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.window
}
