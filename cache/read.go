package cache

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// Fetcher opens [off, off+n) of one object version (a range GET) and
// returns a reader of those bytes, which the cache closes. The cache only
// asks for ranges within the size it was given, so a shorter answer is an
// error. Blocks are read from it one after the other, and each goes to
// its readers as soon as it has arrived.
type Fetcher func(ctx context.Context, off, n int64) (io.ReadCloser, error)

// ref is one block of a read: its key, its encoded name, the name of its
// object version, the length it must have and the object's size.
type ref struct {
	k     BlockKey
	name  string
	oname string
	want  int64
	size  int64
}

// ref returns the reference of block idx of an object of size bytes.
func (c *Cache) ref(obj ObjectID, size, idx int64) ref {
	oname := obj.name(c.bs)
	return ref{k: obj.block(idx), name: blockName(oname, idx), oname: oname, want: min(c.bs, size-idx*c.bs), size: size}
}

// diskID returns the disk tier's name of a block: its object version's
// file and its index.
func (r ref) diskID() diskID {
	return diskID{file: fileKeyOf(r.k.Bucket, r.k.Key, r.oname), idx: r.k.Index}
}

// ReadAt fills p from the object version obj (size bytes in all) at off,
// using cached blocks and fetching missing ones with fetch: one call per
// run of adjacent missing blocks, and one call in all for a block that
// several readers miss at once. It returns the bytes read, with io.EOF when
// the read reaches the end of the object.
func (c *Cache) ReadAt(ctx context.Context, obj ObjectID, size int64, p []byte, off int64, fetch Fetcher) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read %s/%s at %d: negative offset", obj.Bucket, obj.Key, off)
	}
	if !c.begin() {
		return 0, ErrClosed
	}
	defer c.wg.Done()
	if off >= size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), size-off)
	if n == 0 {
		return 0, nil
	}
	first := off / c.bs
	blocks, err := c.blocks(ctx, obj, size, first, (off+n-1)/c.bs, fetch)
	if err != nil {
		return 0, err
	}
	pos := 0
	for i, b := range blocks {
		lo := max(off-(first+int64(i))*c.bs, 0)
		pos += copy(p[pos:n], b.data[lo:])
		b.release()
	}
	if n < int64(len(p)) {
		return int(n), io.EOF
	}
	return int(n), nil
}

// Slice returns the bytes [off, off+n) of the object version obj (size
// bytes in all, n cut at its end) when they lie within one block: a slice
// of the cached block, reserved for the caller until it releases them, so
// that a read of it needs no copy. ok is false, with nothing read, when
// they span blocks or off is outside the object.
func (c *Cache) Slice(ctx context.Context, obj ObjectID, size, off, n int64, fetch Fetcher) (b Bytes, ok bool, err error) {
	if off < 0 || off >= size || n <= 0 {
		return Bytes{}, false, nil
	}
	n = min(n, size-off)
	idx := off / c.bs
	if (off+n-1)/c.bs != idx {
		return Bytes{}, false, nil
	}
	if !c.begin() {
		return Bytes{}, false, ErrClosed
	}
	defer c.wg.Done()
	blocks, err := c.blocks(ctx, obj, size, idx, idx, fetch)
	if err != nil {
		return Bytes{}, false, err
	}
	return within(blocks[0], off-idx*c.bs, n), true, nil
}

// within returns n bytes of a held block from lo, with the hold.
func within(blk *block, lo, n int64) Bytes {
	return Bytes{data: blk.data[lo : lo+n : lo+n], blk: blk}
}

// peek returns the bytes [off, off+n) of obj when one cached block holds
// them all, without fetching anything.
func (c *Cache) peek(obj ObjectID, size, off, n int64) (Bytes, bool) {
	idx := off / c.bs
	if (off+n-1)/c.bs != idx || !c.begin() {
		return Bytes{}, false
	}
	defer c.wg.Done()
	blk, ok := c.lookup(c.ref(obj, size, idx), true)
	if !ok {
		return Bytes{}, false
	}
	return within(blk, off-idx*c.bs, n), true
}

// fetchDirect fetches [off, off+n) of obj with fetch, past the tiers.
func (c *Cache) fetchDirect(ctx context.Context, obj ObjectID, off, n int64, fetch Fetcher) ([]byte, error) {
	c.stats.fetches.Add(1)
	body, err := fetch(ctx, off, n)
	if err != nil {
		return nil, fetchError(obj, off, n, err)
	}
	defer body.Close()
	data := make([]byte, n)
	k, err := io.ReadFull(body, data)
	c.stats.fetched.Add(int64(k))
	if err != nil {
		return nil, fetchError(obj, off, n, err)
	}
	return data, nil
}

// fetchError wraps the error of a fetch of [off, off+n) of obj.
func fetchError(obj ObjectID, off, n int64, err error) error {
	return fmt.Errorf("fetch %s/%s version %q bytes %d-%d: %w", obj.Bucket, obj.Key, obj.Version, off, off+n-1, err)
}

// blocks returns blocks first..last of the object, from the tiers or
// fetched, each held for the caller.
func (c *Cache) blocks(ctx context.Context, obj ObjectID, size, first, last int64, fetch Fetcher) ([]*block, error) {
	out := make([]*block, last-first+1)
	var miss []ref
	for i := first; i <= last; i++ {
		r := c.ref(obj, size, i)
		if b, ok := c.lookup(r, true); ok {
			out[i-first] = b
		} else {
			miss = append(miss, r)
		}
	}
	for len(miss) > 0 {
		err := ctx.Err()
		if err == nil {
			miss, err = c.fill(ctx, obj, size, miss, fetch, out, first)
		}
		if err != nil {
			for _, b := range out {
				if b != nil {
					b.release()
				}
			}
			return nil, err
		}
	}
	return out, nil
}

// lookup returns a block, held for the caller, from the memory tier, else
// from the disk tier (promoting it to memory). count says whether to count
// the lookup in Stats.
func (c *Cache) lookup(r ref, count bool) (*block, bool) {
	// fits keeps a block found only when it has the length r wants.
	fits := func(b *block, ok bool) (*block, bool) {
		if ok && int64(len(b.data)) != r.want {
			b.release()
			return nil, false
		}
		return b, ok
	}
	if c.mem != nil {
		if b, ok := fits(c.fresh.get(r.name)); ok {
			c.tally(count, &c.stats.memHits)
			return b, true
		}
		if b, ok := fits(c.mem.get(r.name)); ok {
			c.tally(count, &c.stats.memHits)
			return b, true
		}
		c.tally(count, &c.stats.memMisses)
	}
	if c.disk == nil {
		return nil, false
	}
	b, ok := fits(c.disk.get(r.diskID(), r.oname, r.want))
	if !ok {
		c.tally(count, &c.stats.diskMisses)
		return nil, false
	}
	c.tally(count, &c.stats.diskHits)
	if c.mem != nil {
		c.mem.put(r.name, r.k, b)
	}
	return b, true
}

// tally adds one to a counter when count is set.
func (c *Cache) tally(count bool, n interface{ Add(int64) int64 }) {
	if count {
		n.Add(1)
	}
}

// fill gets the missing blocks into out: it fetches those no one else is
// fetching and waits for the others. It returns the blocks to look up
// again (a shared fetch that ended without them).
func (c *Cache) fill(ctx context.Context, obj ObjectID, size int64, miss []ref, fetch Fetcher, out []*block, first int64) ([]ref, error) {
	calls, owned := c.fl.claim(names(miss), true)
	var mine []flight
	for i, r := range miss {
		if !owned[i] {
			continue
		}
		// A fetch may have ended between the lookup and the claim.
		if b, ok := c.lookup(r, false); ok {
			c.fl.finish(r.name, calls[i], b, nil)
			b.release()
			continue
		}
		mine = append(mine, flight{r, calls[i]})
	}
	if err := c.fetchRuns(ctx, obj, size, runs(mine, 0), fetch); err != nil {
		return nil, err
	}
	var again []ref
	for i, r := range miss {
		b, err := wait(ctx, calls[i])
		switch {
		case err == nil && int64(len(b.data)) == r.want:
			out[r.k.Index-first] = b
		case err == nil:
			b.release()
			return nil, fmt.Errorf("block %d of %s/%s: %d bytes, want %d (was the size %d right?)",
				r.k.Index, obj.Bucket, obj.Key, len(b.data), r.want, size)
		case err == errRetry || (isContextErr(err) && ctx.Err() == nil):
			again = append(again, r) // another reader's fetch gave up
		default:
			return nil, err
		}
	}
	return again, nil
}

// wait returns the outcome of a call, its block held for the caller, or
// ctx's error (a hold the call gives the caller later is then never
// released: the block is left to the garbage collector).
func wait(ctx context.Context, cl *call) (*block, error) {
	select {
	case <-cl.done:
		return cl.blk, cl.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// names returns the names of refs.
func names(refs []ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.name
	}
	return out
}

// flight is an owned call of one block.
type flight struct {
	r  ref
	cl *call
}

// runs splits flights, in block order, into runs of adjacent blocks of at
// most maxBlocks each (0: no limit).
func runs(fs []flight, maxBlocks int) [][]flight {
	var out [][]flight
	for i, f := range fs {
		n := len(out)
		if i > 0 && f.r.k.Index == fs[i-1].r.k.Index+1 && (maxBlocks == 0 || len(out[n-1]) < maxBlocks) {
			out[n-1] = append(out[n-1], f)
			continue
		}
		out = append(out, []flight{f})
	}
	return out
}

// fetchRuns fetches runs concurrently and returns the first error.
func (c *Cache) fetchRuns(ctx context.Context, obj ObjectID, size int64, rs [][]flight, fetch Fetcher) error {
	if len(rs) == 1 {
		return c.fetchRun(ctx, obj, size, rs[0], fetch, false)
	}
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	for i, run := range rs {
		wg.Go(func() { errs[i] = c.fetchRun(ctx, obj, size, run, fetch, false) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// fetchRun fetches a run of adjacent blocks with one call of fetch and
// reads them from it in order: each block is stored and its call finished
// as soon as its bytes are in, so the reader of the run's first block
// does not wait for the last. Every call is finished, even if fetch
// panics. A background fetch that fails hands its blocks back to the
// readers waiting for them (errRetry), who then fetch them themselves and
// see their own outcome.
func (c *Cache) fetchRun(ctx context.Context, obj ObjectID, size int64, run []flight, fetch Fetcher, background bool) (err error) {
	done := 0
	defer func() {
		for _, f := range run[done:] {
			c.fl.finish(f.r.name, f.cl, nil, fmt.Errorf("fetch of %s/%s aborted", obj.Bucket, obj.Key))
		}
	}()
	off := run[0].r.k.Index * c.bs
	end := min(off+int64(len(run))*c.bs, size)
	c.stats.fetches.Add(1)
	body, err := fetch(ctx, off, end-off)
	if err == nil {
		defer body.Close()
		done, err = c.readRun(body, run, background)
	}
	if err != nil {
		err = fetchError(obj, off, end-off, err)
		shared := err
		if background {
			shared = errRetry
		}
		for _, f := range run[done:] {
			c.fl.finish(f.r.name, f.cl, nil, shared)
		}
		done = len(run)
	}
	return err
}

// readRun reads the blocks of run from body in order, stores each in the
// tiers and finishes its call. It returns how many it finished. A
// background run waits for room in the disk tier's queue, where a reader's
// own run never waits for the disk.
func (c *Cache) readRun(body io.Reader, run []flight, background bool) (int, error) {
	for i, f := range run {
		b := c.pool.get(f.r.want)
		k, err := io.ReadFull(body, b.data)
		c.stats.fetched.Add(int64(k))
		if err != nil {
			b.release()
			return i, err
		}
		if c.mem != nil {
			c.fresh.put(f.r.name, f.r.k, b, c.mem.put(f.r.name, f.r.k, b))
		}
		c.fl.finish(f.r.name, f.cl, b, nil)
		// The readers have their block: the disk tier gets it after.
		if c.disk != nil {
			c.disk.putLater(f.r.diskID(), f.r.oname, f.r.name, f.r.size, b, background)
		}
		b.release()
	}
	return len(run), nil
}
