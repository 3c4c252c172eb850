package cache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// testBlock is the block size of most tests: small, so objects of many
// blocks stay small.
const testBlock = 4096

// source is an object version held in memory that counts the range
// fetches made of it.
type source struct {
	data  []byte
	calls atomic.Int64

	mu     sync.Mutex
	ranges [][2]int64 // off, n of each fetch
}

// newSource returns a source of size pseudo-random bytes drawn from seed.
func newSource(size int, seed uint64) *source {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	return &source{data: data}
}

// fetch is the source's Fetcher.
func (s *source) fetch(ctx context.Context, off, n int64) (io.ReadCloser, error) {
	s.calls.Add(1)
	s.mu.Lock()
	s.ranges = append(s.ranges, [2]int64{off, n})
	s.mu.Unlock()
	if off < 0 || off+n > int64(len(s.data)) {
		return nil, errors.New("range outside the object")
	}
	return io.NopCloser(bytes.NewReader(s.data[off : off+n])), nil
}

// fetched returns the ranges fetched so far.
func (s *source) fetched() [][2]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][2]int64(nil), s.ranges...)
}

// size returns the object's size.
func (s *source) size() int64 { return int64(len(s.data)) }

// noFetch is a Fetcher that fails the test when called.
func noFetch(t testing.TB) Fetcher {
	return func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		t.Errorf("unexpected fetch of %d bytes at %d", n, off)
		return nil, errors.New("no fetch expected")
	}
}

// open opens a Cache and closes it when the test ends.
func open(t testing.TB, opts Options) *Cache {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

// read reads n bytes at off through c and checks them against src.
func read(t testing.TB, c *Cache, obj ObjectID, src *source, off, n int64, fetch Fetcher) {
	t.Helper()
	if fetch == nil {
		fetch = src.fetch
	}
	p := make([]byte, n)
	got, err := c.ReadAt(context.Background(), obj, src.size(), p, off, fetch)
	want := min(n, max(src.size()-off, 0))
	if err != nil && !(errors.Is(err, io.EOF) && int64(got) == want && want < n) {
		t.Fatalf("ReadAt(%d, %d): %d, %v", off, n, got, err)
	}
	if int64(got) != want {
		t.Fatalf("ReadAt(%d, %d) read %d bytes, want %d", off, n, got, want)
	}
	if string(p[:got]) != string(src.data[off:off+want]) {
		t.Fatalf("ReadAt(%d, %d) returned bytes that differ from the object", off, n)
	}
}

var obj1 = ObjectID{Bucket: "photos", Key: "2024/beach.jpg", Version: "etag-1"}

// settled returns c's Stats once the disk tier has written every block
// queued for it.
func settled(c *Cache) Stats {
	if c.disk != nil {
		c.disk.settle()
	}
	return c.Stats()
}
