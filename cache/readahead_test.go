package cache

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"
)

func TestReadaheadGrowsOnSequentialReads(t *testing.T) {
	src := newSource(256*testBlock, 16)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 4 << 20})
	ra := NewReadahead(c, obj1, src.size(), src.fetch, 16*testBlock)
	ctx := context.Background()
	p := make([]byte, testBlock)
	var windows []int64
	for off := int64(0); off < src.size(); off += testBlock {
		n, err := ra.ReadAt(ctx, p, off)
		if n != testBlock || (err != nil && off+testBlock < src.size()) {
			t.Fatalf("read at %d: %d, %v", off, n, err)
		}
		if string(p) != string(src.data[off:off+testBlock]) {
			t.Fatalf("read at %d returned wrong bytes", off)
		}
		windows = append(windows, ra.Window()/testBlock)
	}
	want := []int64{1, 2, 4, 8, 16, 16}
	for i, w := range want {
		if windows[i] != w {
			t.Fatalf("windows in blocks %v, want them to start %v", windows[:8], want)
		}
	}
	// 256 one-block reads were served by a few large prefetches.
	t.Logf("%d fetches", src.calls.Load())
	if n := src.calls.Load(); n > 48 {
		t.Fatalf("%d fetches for 256 sequential blocks, want far fewer", n)
	}
	var biggest int64
	for _, r := range src.fetched() {
		biggest = max(biggest, r[1])
	}
	if biggest < 8*testBlock {
		t.Fatalf("largest fetch %d bytes: the window did not grow", biggest)
	}
}

func TestReadaheadStaysOffForRandomReads(t *testing.T) {
	src := newSource(256*testBlock, 17)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 4 << 20})
	ra := NewReadahead(c, obj1, src.size(), src.fetch, 0)
	ctx := context.Background()
	p := make([]byte, 512)
	blocks := []int64{200, 17, 150, 3, 99, 240, 60}
	for _, b := range blocks {
		if _, err := ra.ReadAt(ctx, p, b*testBlock+100); err != nil {
			t.Fatal(err)
		}
		if w := ra.Window(); w != 0 {
			t.Fatalf("window %d after a random read of block %d", w, b)
		}
	}
	got := src.fetched()
	if len(got) != len(blocks) {
		t.Fatalf("fetches %v, want exactly the %d blocks read", got, len(blocks))
	}
	for i, r := range got {
		if r != [2]int64{blocks[i] * testBlock, testBlock} {
			t.Fatalf("fetch %d is %v, want block %d only", i, r, blocks[i])
		}
	}
}

func TestCloseWaitsForPrefetches(t *testing.T) {
	var started, returned atomic.Int64
	first := make(chan struct{}, 1)
	slow := func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		started.Add(1)
		defer returned.Add(1)
		select {
		case first <- struct{}{}:
		default:
		}
		<-ctx.Done() // a fetch that ends only when cancelled
		return nil, ctx.Err()
	}
	c, err := Open(Options{BlockSize: 1 << 20, MemoryBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	c.Prefetch(obj1, 64<<20, 0, 64<<20, slow) // eight 8 MiB fetches
	<-first
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if s, r := started.Load(), returned.Load(); s == 0 || s != r {
		t.Fatalf("after Close: %d prefetches started, %d returned", s, r)
	}
}

func TestPrefetchThenReadHits(t *testing.T) {
	src := newSource(40*testBlock, 19)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	c.Prefetch(obj1, src.size(), 0, src.size(), src.fetch)
	// Reads either hit or wait for the prefetch of their block: never fetch.
	read(t, c, obj1, src, 0, src.size(), func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		t.Errorf("read fetched %d bytes at %d after a prefetch", n, off)
		return src.fetch(ctx, off, n)
	})
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("%d fetches, want the one prefetch", n)
	}
}

func TestFailedPrefetchLetsReaderFetch(t *testing.T) {
	src := newSource(4*testBlock, 21)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	release := make(chan struct{})
	failing := func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		<-release
		return nil, errors.New("throttled")
	}
	c.Prefetch(obj1, src.size(), 0, src.size(), failing)
	done := make(chan struct{})
	go func() {
		defer close(done)
		read(t, c, obj1, src, 0, src.size(), nil) // waits for the prefetch, then fetches itself
	}()
	close(release)
	<-done
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("reader made %d fetches after the prefetch failed, want 1", n)
	}
}

// TestReadaheadReadWithinAndAcrossBlocks reads through Readahead.Read
// within one block (a slice of the cached block), across blocks and at
// the end of the object: the bytes are the object's every time.
func TestReadaheadReadWithinAndAcrossBlocks(t *testing.T) {
	src := newSource(10*testBlock+100, 23)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 1 << 20})
	ra := NewReadahead(c, obj1, src.size(), src.fetch, 0)
	for _, r := range [][2]int64{{0, testBlock}, {testBlock + 10, 100}, {3*testBlock - 50, 200}, {10 * testBlock, 100}, {10*testBlock + 50, 4096}} {
		got, err := ra.Read(context.Background(), make([]byte, r[1]), r[0])
		want := src.data[r[0]:min(r[0]+r[1], src.size())]
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatalf("Read(%d, %d): %v", r[0], r[1], err)
		}
		if string(got.Data()) != string(want) {
			t.Fatalf("Read(%d, %d) returned %d bytes that differ from the object's %d", r[0], r[1], len(got.Data()), len(want))
		}
		got.Release()
	}
}

func TestReadaheadRandomReadFetchesOnlyWhatItReads(t *testing.T) {
	src := newSource(256*testBlock, 18)
	c := open(t, Options{BlockSize: testBlock, MemoryBytes: 4 << 20})
	ra := NewReadahead(c, obj1, src.size(), src.fetch, 0)
	ctx := context.Background()
	p := make([]byte, 512)
	offs := []int64{200*testBlock + 100, 17*testBlock + 9, 150 * testBlock}
	for _, off := range offs {
		b, err := ra.Read(ctx, p, off)
		if err != nil {
			t.Fatal(err)
		}
		if string(b.Data()) != string(src.data[off:off+512]) {
			t.Fatalf("random read at %d returned wrong bytes", off)
		}
		b.Release()
	}
	for i, r := range src.fetched() {
		if r != [2]int64{offs[i], 512} {
			t.Fatalf("fetch %d is %v, want exactly the 512 bytes read at %d", i, r, offs[i])
		}
	}
	// A block already cached answers a random read without a fetch.
	if _, err := ra.ReadAt(ctx, p, 3*testBlock); err != nil {
		t.Fatal(err)
	}
	before := src.calls.Load()
	b, err := ra.Read(ctx, p, 3*testBlock+700)
	if err != nil || string(b.Data()) != string(src.data[3*testBlock+700:3*testBlock+1212]) {
		t.Fatalf("read of a cached block: %v", err)
	}
	b.Release()
	if src.calls.Load() != before {
		t.Fatal("a random read of a cached block fetched")
	}
}

// The kernel's read-ahead sends large requests in parallel, and they may
// arrive swapped: the stream must go on, not restart as random reads.
func TestReadaheadKeepsStreamOfSwappedLargeReads(t *testing.T) {
	const req = 1 << 20 // larger than seqSlack
	src := newSource(32*req, 23)
	c := open(t, Options{BlockSize: 256 << 10, MemoryBytes: 64 << 20})
	ra := NewReadahead(c, obj1, src.size(), src.fetch, 8*req)
	ctx := context.Background()
	p := make([]byte, req)
	for i := int64(0); i < 32; i += 2 {
		for _, j := range []int64{i + 1, i} {
			b, err := ra.Read(ctx, p, j*req)
			if err != nil && !errors.Is(err, io.EOF) {
				t.Fatalf("read of request %d: %v", j, err)
			}
			b.Release()
			if i > 0 && ra.Window() == 0 {
				t.Fatalf("request %d, arriving before %d, reset the stream", i+1, i)
			}
		}
	}
	if w := ra.Window(); w != 8*req {
		t.Fatalf("window %d after 32 swapped sequential requests, want the maximum %d", w, 8*req)
	}
}
