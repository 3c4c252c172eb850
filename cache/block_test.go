package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
)

// Block buffers are reused once no one holds them: under a memory tier far
// smaller than what is read, with readers that keep their bytes a while,
// every reader must still see its own object's bytes, before and after
// the others have moved on.
func TestRecycledBlocksNeverChangeUnderAReader(t *testing.T) {
	for _, disk := range []bool{false, true} {
		t.Run(fmt.Sprintf("disk=%v", disk), func(t *testing.T) {
			opts := Options{BlockSize: testBlock, MemoryBytes: 16 * testBlock}
			if disk {
				opts.DiskDir, opts.DiskBytes = t.TempDir(), 64*testBlock
			}
			c := open(t, opts)
			srcs := make([]*source, 4)
			objs := make([]ObjectID, len(srcs))
			for i := range srcs {
				srcs[i] = newSource(64*testBlock+123, uint64(100+i))
				objs[i] = ObjectID{Bucket: "b", Key: fmt.Sprintf("k%d", i), Version: "v"}
			}
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() { churn(t, c, srcs, objs, uint64(w)) })
			}
			wg.Wait()
		})
	}
}

// churn reads random ranges, sequentially and at random, holding the
// bytes of several reads before checking and releasing them.
func churn(t *testing.T, c *Cache, srcs []*source, objs []ObjectID, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	ctx := context.Background()
	var held []Bytes
	var want [][]byte
	for range 400 {
		i := r.IntN(len(srcs))
		src := srcs[i]
		ra := NewReadahead(c, objs[i], src.size(), src.fetch, 8*testBlock)
		off := r.Int64N(src.size())
		for range 1 + r.IntN(6) { // a short sequential run
			n := 1 + r.Int64N(2*testBlock)
			b, err := ra.Read(ctx, make([]byte, n), off)
			if err != nil && !errors.Is(err, io.EOF) {
				t.Errorf("read %d+%d: %v", off, n, err)
				return
			}
			held = append(held, b)
			want = append(want, src.data[off:min(off+n, src.size())])
			off += n
			if off >= src.size() {
				break
			}
		}
		if len(held) > 12 {
			for j, b := range held {
				if string(b.Data()) != string(want[j]) {
					t.Errorf("bytes changed while held")
					return
				}
				b.Release()
			}
			held, want = held[:0], want[:0]
		}
	}
	for _, b := range held {
		b.Release()
	}
}
