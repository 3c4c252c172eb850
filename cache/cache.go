package cache

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
)

// prefetchWorkers bounds the background fetches running at once.
const prefetchWorkers = 8

// prefetchQueue bounds the background fetches waiting for a worker; further
// Prefetch requests are dropped.
const prefetchQueue = 64

// prefetchChunk is the most bytes one background fetch asks for, so a large
// prefetch becomes several parallel range fetches.
const prefetchChunk = 8 << 20

// freeBlockBytes bounds the free block buffers kept for reuse.
const freeBlockBytes = 64 << 20

// Cache is a two-tier block cache of immutable object versions. It is safe
// for concurrent use.
type Cache struct {
	bs    int64
	log   *slog.Logger
	mem   *memTier   // nil when disabled
	fresh *freshTier // the blocks fetched last; nil with no memory tier
	disk  *diskTier  // nil when disabled
	pool  *blockPool // buffers of fetched blocks, reused once no one holds them
	fl    flights
	stats counters

	bg      context.Context // cancelled by Close; background fetches use it
	cancel  context.CancelFunc
	workers chan struct{} // semaphore of background fetches
	pending chan struct{} // semaphore of queued background fetches

	mu     sync.RWMutex // guards closed against wg.Add
	closed bool
	wg     sync.WaitGroup // every running ReadAt, Prefetch and background fetch
}

// Open returns a Cache configured by opts. With DiskDir set it locks the
// directory and indexes the blocks a previous run left there.
func Open(opts Options) (*Cache, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Cache{
		bs:      opts.BlockSize,
		log:     opts.Logger,
		workers: make(chan struct{}, prefetchWorkers),
		pending: make(chan struct{}, prefetchQueue),
		pool:    newBlockPool(opts.BlockSize, int(max(freeBlockBytes/opts.BlockSize, 8))),
	}
	if opts.MemoryBytes > 0 {
		// Half the memory, at most maxFreshBytes, holds the blocks
		// fetched last; the memory tier has the rest.
		fresh := min(opts.MemoryBytes/2, maxFreshBytes)
		c.fresh = newFresh(fresh)
		if c.mem, err = newMemory(opts.MemoryBytes-fresh, opts.BlockSize); err != nil {
			return nil, err
		}
	}
	if opts.DiskDir != "" {
		var recall func(string) (*block, bool)
		if c.mem != nil {
			recall = c.recall
		}
		if c.disk, err = openDisk(opts.DiskDir, opts.DiskBytes, opts.BlockSize, recall, opts.Logger); err != nil {
			if c.mem != nil {
				c.mem.close()
			}
			return nil, err
		}
	}
	c.bg, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// recall returns a block, held, from the memory tiers, for the disk
// tier's writer to store a block it put aside.
func (c *Cache) recall(name string) (*block, bool) {
	if b, ok := c.fresh.get(name); ok {
		return b, true
	}
	return c.mem.get(name)
}

// BlockSize returns the size of one block in bytes.
func (c *Cache) BlockSize() int64 { return c.bs }

// Close cancels background prefetches, waits for them and for running
// reads to end, and releases the tiers. Blocks on disk stay for the next
// Open. Close is idempotent.
func (c *Cache) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
	if c.mem != nil {
		c.mem.close()
	}
	if c.disk != nil {
		return c.disk.close()
	}
	return nil
}

// begin registers a running operation; it reports false once Close began.
func (c *Cache) begin() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	return true
}

// Invalidate drops every cached block of bucket/key, of all versions. Blocks
// being fetched at the time may still be stored; they are only ever served
// for their own version.
func (c *Cache) Invalidate(bucket, key string) {
	if !c.begin() {
		return
	}
	defer c.wg.Done()
	if c.mem != nil {
		c.fresh.invalidate(bucket, key)
		c.mem.invalidate(bucket, key)
	}
	if c.disk != nil {
		c.disk.invalidate(objectHash(bucket, key))
	}
}

// LocalFile returns a read-only file whose bytes are the object version
// obj (size bytes), when the disk tier holds all of it, every block
// verified since Open: a reader of the file needs nothing else of the
// cache (the mount hands it to the kernel to read from directly). Until
// release is called the file's bytes stay as they are, even if the tier
// evicts or drops the version meanwhile. ok is false when the tier lacks
// any of it.
func (c *Cache) LocalFile(obj ObjectID, size int64) (file *os.File, release func(), ok bool) {
	if c.disk == nil || size <= 0 || !c.begin() {
		return nil, nil, false
	}
	defer c.wg.Done()
	oname := obj.name(c.bs)
	return c.disk.localFile(fileKeyOf(obj.Bucket, obj.Key, oname), oname, size)
}

// Stats reports hits, misses and bytes per tier.
func (c *Cache) Stats() Stats {
	s := Stats{
		MemoryHits:   c.stats.memHits.Load(),
		MemoryMisses: c.stats.memMisses.Load(),
		DiskHits:     c.stats.diskHits.Load(),
		DiskMisses:   c.stats.diskMisses.Load(),
		Fetches:      c.stats.fetches.Load(),
		FetchedBytes: c.stats.fetched.Load(),
	}
	if c.begin() {
		defer c.wg.Done()
		if c.mem != nil {
			s.MemoryBytes = c.mem.usage() + c.fresh.usage()
		}
	}
	if c.disk != nil {
		s.DiskBytes, s.DiskBlocks = c.disk.usage()
		s.DiscardedBlocks = c.disk.corrupt.Load()
		s.SkippedBlocks = c.disk.skipped.Load()
	}
	return s
}

// isContextErr reports whether err is a cancellation or a deadline.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
