package cache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
)

func TestConcurrentMissesShareOneFetch(t *testing.T) {
	src := newSource(4*testBlock, 11)
	gate := make(chan struct{})
	fetch := func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		<-gate
		return src.fetch(ctx, off, n)
	}
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() { read(t, c, obj1, src, testBlock+10, 100, fetch) })
	}
	close(gate)
	wg.Wait()
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("64 readers of one missing block made %d fetches, want 1", n)
	}
}

func TestAdjacentMissesBecomeOneRangedFetch(t *testing.T) {
	src := newSource(10*testBlock, 12)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	read(t, c, obj1, src, testBlock+1, 4*testBlock, nil) // blocks 1..5
	if got := src.fetched(); len(got) != 1 || got[0] != [2]int64{testBlock, 5 * testBlock} {
		t.Fatalf("fetches %v, want one of blocks 1-5", got)
	}
	read(t, c, obj1, src, 7*testBlock, testBlock, nil) // block 7
	// Blocks 0..9: 0, 6 and 8-9 are missing: three runs, three fetches.
	read(t, c, obj1, src, 0, src.size(), nil)
	want := [][2]int64{{0, testBlock}, {6 * testBlock, testBlock}, {8 * testBlock, 2 * testBlock}}
	got := src.fetched()[2:]
	if len(got) != 3 {
		t.Fatalf("fetches %v, want %v", got, want)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Fatalf("fetches %v, want %v", got, want)
		}
	}
}

func TestReadsAtAndPastEnd(t *testing.T) {
	src := newSource(3*testBlock+17, 13)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	ctx := context.Background()
	p := make([]byte, 100)
	n, err := c.ReadAt(ctx, obj1, src.size(), p, src.size()-10, src.fetch)
	if n != 10 || !errors.Is(err, io.EOF) || string(p[:10]) != string(src.data[src.size()-10:]) {
		t.Fatalf("read across the end: %d, %v", n, err)
	}
	for _, off := range []int64{src.size(), src.size() + 5000} {
		if n, err := c.ReadAt(ctx, obj1, src.size(), p, off, src.fetch); n != 0 || err != io.EOF {
			t.Fatalf("read at %d: %d, %v; want 0, EOF", off, n, err)
		}
	}
	if _, err := c.ReadAt(ctx, obj1, src.size(), p, -1, src.fetch); err == nil {
		t.Fatal("read at a negative offset succeeded")
	}
	empty := ObjectID{Bucket: "b", Key: "empty", Version: "e"}
	if n, err := c.ReadAt(ctx, empty, 0, p, 0, noFetch(t)); n != 0 || err != io.EOF {
		t.Fatalf("read of an empty object: %d, %v", n, err)
	}
}

func TestShortFetchIsAnError(t *testing.T) {
	src := newSource(2*testBlock, 14)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	short := func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(src.data[off : off+n-1])), nil
	}
	p := make([]byte, testBlock)
	if _, err := c.ReadAt(context.Background(), obj1, src.size(), p, 0, short); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("short fetch: %v, want io.ErrUnexpectedEOF", err)
	}
	read(t, c, obj1, src, 0, testBlock, nil) // nothing wrong was cached
}

func TestFetchErrorReachesReader(t *testing.T) {
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	boom := errors.New("connection reset")
	fail := func(ctx context.Context, off, n int64) (io.ReadCloser, error) { return nil, boom }
	if _, err := c.ReadAt(context.Background(), obj1, 100, make([]byte, 10), 0, fail); !errors.Is(err, boom) {
		t.Fatalf("ReadAt: %v, want the fetch error", err)
	}
}

func TestRandomReadsMatchObject(t *testing.T) {
	src := newSource(50*testBlock+777, 15)
	c := open(t, Options{
		BlockSize: testBlock, MemoryBytes: 8 * testBlock,
		DiskDir: t.TempDir(), DiskBytes: 20 * (testBlock + 100),
	})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 99))
			for range 200 {
				off := r.Int64N(src.size() + 100)
				n := r.Int64N(5*testBlock) + 1
				read(t, c, obj1, src, off, n, nil)
			}
		})
	}
	wg.Wait()
}

func TestClosedCacheRefusesReads(t *testing.T) {
	c, err := Open(Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadAt(context.Background(), obj1, 10, make([]byte, 1), 0, noFetch(t)); !errors.Is(err, ErrClosed) {
		t.Fatalf("ReadAt after Close: %v", err)
	}
	c.Prefetch(obj1, 10, 0, 10, noFetch(t))
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
