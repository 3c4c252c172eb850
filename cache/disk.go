package cache

import (
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// touchEvery is how stale a block file's modification time may get before
// a hit refreshes it; the times order the blocks when the tier is rescanned.
const touchEvery = time.Minute

// diskQueue bounds the blocks waiting for the disk tier's writer; a block
// that finds the queue full is not stored there (the tier falls behind a
// read faster than the disk, and a later miss fetches the block again).
const diskQueue = 64

// diskWrite is a block waiting to be written.
type diskWrite struct {
	id   fileID
	name string
	blk  *block // held until written
}

// fileID names a block file: the hash of its object and of its block name.
type fileID struct{ obj, blk uint64 }

// diskEntry is the index record of one block file.
type diskEntry struct {
	id      fileID
	size    int64
	touched time.Time
}

// diskTier keeps blocks as files under dir/blocks, at most capacity bytes,
// evicting the least recently used first. All renames and removals of block
// files happen under mu, so the index and the directory agree.
type diskTier struct {
	dir      string
	capacity int64
	log      *slog.Logger
	lock     *os.File
	tmpSeq   atomic.Uint64
	corrupt  atomic.Int64
	failing  atomic.Bool  // a write failed and was logged; quiet until one succeeds
	skipped  atomic.Int64 // blocks not stored because the queue was full

	queue   chan *diskWrite // blocks for the writer, closed by close
	queued  sync.WaitGroup  // blocks queued and not yet written
	written chan struct{}   // closed when the writer has ended

	mu      sync.Mutex
	pending map[fileID]*diskWrite    // queued blocks, served until written
	index   map[fileID]*list.Element // of *diskEntry
	lru     *list.List               // front is most recently used
	used    int64
}

// openDisk locks dir, creates its layout and indexes the blocks already in it.
func openDisk(dir string, capacity int64, log *slog.Logger) (*diskTier, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cache directory %s: %w", dir, err)
	}
	lock, err := lockDir(dir, filepath.Join(dir, "LOCK"))
	if err != nil {
		return nil, err
	}
	d := &diskTier{
		dir: dir, capacity: capacity, log: log, lock: lock,
		index: make(map[fileID]*list.Element), lru: list.New(),
		queue: make(chan *diskWrite, diskQueue), written: make(chan struct{}),
		pending: make(map[fileID]*diskWrite),
	}
	if err := d.scan(); err != nil {
		lock.Close()
		return nil, err
	}
	go d.writer()
	return d, nil
}

// writer writes the queued blocks until the queue is closed.
func (d *diskTier) writer() {
	defer close(d.written)
	for w := range d.queue {
		d.put(w)
		d.queued.Done()
	}
}

// putLater queues a block, which the caller holds, for the writer, or
// skips it when the queue is full; until written it is served from the
// queue. Its bytes must not change afterwards.
func (d *diskTier) putLater(id fileID, name string, blk *block) {
	blk.acquire() // the queue's hold; cannot fail, the caller holds it
	w := &diskWrite{id, name, blk}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queued.Add(1)
	select {
	case d.queue <- w:
		d.pending[id] = w
	default:
		d.queued.Done()
		d.skipped.Add(1)
		blk.release()
	}
}

// queuedBlock returns a block waiting for the writer, held for the caller.
func (d *diskTier) queuedBlock(id fileID, name string) (*block, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if w, ok := d.pending[id]; ok && w.name == name {
		w.blk.acquire() // cannot fail: the queue holds it
		return w.blk, true
	}
	return nil, false
}

// settle waits until every queued block is written.
func (d *diskTier) settle() { d.queued.Wait() }

// close writes the blocks still queued and releases the directory lock.
// Nothing may be queued once it begins.
func (d *diskTier) close() error {
	close(d.queue)
	<-d.written
	if err := d.lock.Close(); err != nil {
		return fmt.Errorf("unlock cache directory %s: %w", d.dir, err)
	}
	return nil
}

// subdir is the directory of the block files of one object hash.
func (d *diskTier) subdir(obj uint64) string {
	return filepath.Join(d.dir, "blocks", fmt.Sprintf("%02x", obj>>56))
}

// path is the file of a block.
func (d *diskTier) path(id fileID) string {
	return filepath.Join(d.subdir(id.obj), fmt.Sprintf("%016x-%016x.blk", id.obj, id.blk))
}

// get returns a block, held for the caller, or false when the tier lacks
// it or its file fails verification (the file is then deleted).
func (d *diskTier) get(id fileID, name string) (*block, bool) {
	if blk, ok := d.queuedBlock(id, name); ok {
		return blk, true
	}
	touch, ok := d.use(id)
	if !ok {
		return nil, false
	}
	path := d.path(id)
	buf, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.log.Warn("cache: read block file", "path", path, "err", err)
		}
		d.drop(id)
		return nil, false
	}
	data, err := decodeBlock(buf, name)
	if err != nil {
		d.corrupt.Add(1)
		d.log.Warn("cache: discarding block file", "path", path, "err", err)
		d.drop(id)
		return nil, false
	}
	if touch {
		now := time.Now()
		_ = os.Chtimes(path, now, now) // ordering hint only
	}
	return newBlock(data, nil), true
}

// use marks a block as just used and reports whether the tier has it and
// whether its file time needs a refresh.
func (d *diskTier) use(id fileID) (touch, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	el, ok := d.index[id]
	if !ok {
		return false, false
	}
	d.lru.MoveToFront(el)
	e := el.Value.(*diskEntry)
	if now := time.Now(); now.Sub(e.touched) > touchEvery {
		e.touched = now
		touch = true
	}
	return touch, true
}

// has reports whether the tier holds a block, without reading it.
func (d *diskTier) has(id fileID) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, queued := d.pending[id]
	_, ok := d.index[id]
	return ok || queued
}

// put stores a queued block, evicting old blocks to stay within
// capacity, unless it was invalidated meanwhile. Errors are logged, not
// returned: a block that is not stored is only a miss later.
func (d *diskTier) put(w *diskWrite) {
	defer d.unqueue(w)
	data := w.blk.data
	head := blockHead(w.name, data)
	size := int64(len(head) + len(data))
	if size > d.capacity {
		return
	}
	id, path := w.id, d.path(w.id)
	tmp := fmt.Sprintf("%s.tmp-%d", path, d.tmpSeq.Add(1))
	if err := writeFile(tmp, head, data); err != nil {
		d.writeFailed(fmt.Errorf("write block file %s: %w", tmp, err))
		os.Remove(tmp)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending[id] != w { // invalidated while being written
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		d.writeFailed(fmt.Errorf("rename block file %s: %w", tmp, err))
		os.Remove(tmp)
		return
	}
	if d.failing.Swap(false) {
		d.log.Info("cache: storing blocks on disk again", "dir", d.dir)
	}
	d.insert(&diskEntry{id: id, size: size, touched: time.Now()})
	d.evict()
}

// unqueue forgets a queued block once the writer is done with it.
func (d *diskTier) unqueue(w *diskWrite) {
	d.mu.Lock()
	if d.pending[w.id] == w {
		delete(d.pending, w.id)
	}
	d.mu.Unlock()
	w.blk.release()
}

// writeFile writes head then data to a new file at path.
func writeFile(path string, head, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bufs := net.Buffers{head, data}
	_, err = bufs.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeFailed logs a failed block write: the first of a series as a
// warning, the rest (a full disk fails every write) at debug level.
func (d *diskTier) writeFailed(err error) {
	if d.failing.Swap(true) {
		d.log.Debug("cache: block not stored", "err", err)
		return
	}
	d.log.Warn("cache: blocks are not being stored on disk", "dir", d.dir, "err", err)
}

// insert adds or replaces an entry at the front of the LRU list. d.mu is held.
func (d *diskTier) insert(e *diskEntry) {
	if el, ok := d.index[e.id]; ok {
		d.used -= el.Value.(*diskEntry).size
		d.lru.Remove(el)
	}
	d.index[e.id] = d.lru.PushFront(e)
	d.used += e.size
}

// evict removes least recently used blocks until the tier fits its
// capacity. d.mu is held.
func (d *diskTier) evict() {
	for d.used > d.capacity {
		el := d.lru.Back()
		if el == nil {
			return
		}
		d.remove(el.Value.(*diskEntry).id)
	}
}

// drop removes a block's entry and file.
func (d *diskTier) drop(id fileID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.remove(id)
}

// remove deletes a block's entry and file. d.mu is held.
func (d *diskTier) remove(id fileID) {
	if el, ok := d.index[id]; ok {
		d.used -= el.Value.(*diskEntry).size
		d.lru.Remove(el)
		delete(d.index, id)
	}
	path := d.path(id)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.log.Warn("cache: remove block file", "path", path, "err", err)
	}
}

// invalidate removes every block of the object with hash obj.
func (d *diskTier) invalidate(obj uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range d.pending {
		if id.obj == obj {
			delete(d.pending, id)
		}
	}
	for id := range d.index {
		if id.obj == obj {
			d.remove(id)
		}
	}
}

// usage returns the bytes and blocks held.
func (d *diskTier) usage() (bytes, blocks int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.used, int64(len(d.index))
}
