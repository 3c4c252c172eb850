package cache

import (
	"container/list"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// touchEvery is how stale an index file's modification time may get
// before a hit refreshes it; the times order the blocks when the tier is
// rescanned.
const touchEvery = time.Minute

// diskQueue bounds the blocks waiting for the disk tier's writer. A block
// that finds the queue full is put aside by name (the writer falls behind
// a read faster than it): once the queue is empty the writer takes the
// blocks put aside from the memory tiers, if they are still there, so
// that a long read still leaves the whole object on disk.
const diskQueue = 64

// maxAside bounds the blocks put aside; beyond it they are not stored.
const maxAside = 4096

// fileKey names the files of one object version: a hash of its bucket and
// key, shared by all its versions (Invalidate finds them by it), and a
// hash of the version's name.
type fileKey struct{ obj, ver uint64 }

// fileKeyOf returns the fileKey of the version named oname of bucket/key.
func fileKeyOf(bucket, key, oname string) fileKey {
	return fileKey{obj: objectHash(bucket, key), ver: nameHash(oname)}
}

// diskID names a block of the disk tier: its version's files and its index.
type diskID struct {
	file fileKey
	idx  int64
}

// diskWrite is a block waiting to be written.
type diskWrite struct {
	id    diskID
	oname string
	size  int64  // of the object
	blk   *block // held until written; nil while put aside
	// name is the block's name, to recall it from memory once put aside;
	// recalled marks a block put aside and recalled (Invalidate clears
	// blocks put aside, where queued ones leave pending).
	name     string
	recalled bool
}

// diskFile is an object version's pair of files and the blocks they hold.
type diskFile struct {
	key     fileKey
	name    string
	size    int64
	blocks  map[int64]*list.Element // of *diskEntry
	writing int                     // blocks the writer is writing into it
	pins    int                     // LocalFile users: no hole is punched while there are any
	holes   []int64                 // blocks dropped while pinned, punched at the last unpin
	dead    bool                    // dropped from the tier: nothing more is recorded in it
	touched time.Time
}

// diskEntry is one block held by the disk tier.
type diskEntry struct {
	f        *diskFile
	idx      int64
	length   uint32
	crc      uint32
	verified bool // its bytes were written or checked since Open
}

// diskTier keeps blocks in one sparse data file per object version, next to
// an index file, under dir/objects, at most capacity bytes of blocks,
// evicting the least recently used block first (its range of the data file
// becomes a hole). Every change to the index and every removal of files
// happens under mu.
type diskTier struct {
	dir      string
	capacity int64
	bs       int64
	log      *slog.Logger
	lock     *os.File
	corrupt  atomic.Int64
	failing  atomic.Bool  // a write failed and was logged; quiet until one succeeds
	skipped  atomic.Int64 // blocks not stored because the queue was full

	queue   chan *diskWrite // blocks for the writer, closed by close
	queued  sync.WaitGroup  // blocks queued or put aside, and not yet written
	written chan struct{}   // closed when the writer has ended
	open    openFiles       // the writer's open files
	// recall returns a block, held, from the memory tiers (nil: none).
	recall func(name string) (*block, bool)
	// beforePut, when set (by tests, before the first block is queued),
	// runs as the writer takes each block.
	beforePut func()

	mu      sync.Mutex
	pending map[diskID]*diskWrite // queued blocks, served until written
	aside   []*diskWrite          // blocks skipped while the queue was full
	files   map[fileKey]*diskFile
	lru     *list.List // of *diskEntry; front is most recently used
	used    int64
}

// openDisk locks dir, creates its layout and indexes the blocks already in
// it. recall, when not nil, finds blocks in the memory tiers.
func openDisk(dir string, capacity, blockSize int64, recall func(string) (*block, bool), log *slog.Logger) (*diskTier, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create cache directory %s: %w", dir, err)
	}
	lock, err := lockDir(dir, filepath.Join(dir, "LOCK"))
	if err != nil {
		return nil, err
	}
	d := &diskTier{
		dir: dir, capacity: capacity, bs: blockSize, log: log, lock: lock, recall: recall,
		files: make(map[fileKey]*diskFile), lru: list.New(),
		queue: make(chan *diskWrite, diskQueue), written: make(chan struct{}),
		pending: make(map[diskID]*diskWrite),
	}
	if err := d.scan(); err != nil {
		lock.Close()
		return nil, err
	}
	go d.writer()
	return d, nil
}

// writer writes the queued blocks until the queue is closed, and the
// blocks put aside whenever the queue is empty.
func (d *diskTier) writer() {
	defer close(d.written)
	defer d.open.close()
	for {
		var w *diskWrite
		select {
		case w = <-d.queue:
		default:
			if d.putAside() {
				continue
			}
			d.open.close() // idle: a file dropped meanwhile must not stay open
			w = <-d.queue
		}
		if w == nil {
			d.dropAside()
			return
		}
		d.put(w)
		d.queued.Done()
	}
}

// putAside stores the oldest block put aside, if the memory tiers still
// have it, and reports whether there was one.
func (d *diskTier) putAside() bool {
	d.mu.Lock()
	if len(d.aside) == 0 {
		d.mu.Unlock()
		return false
	}
	w := d.aside[0]
	d.aside = d.aside[1:]
	d.mu.Unlock()
	defer d.queued.Done()
	w.recalled = true
	if w.blk, _ = d.recall(w.name); w.blk != nil && int64(len(w.blk.data)) == min(d.bs, w.size-w.id.idx*d.bs) {
		d.put(w)
	} else if w.blk != nil {
		w.blk.release()
	}
	return true
}

// dropAside forgets the blocks put aside (the tier is closing).
func (d *diskTier) dropAside() {
	d.mu.Lock()
	n := len(d.aside)
	d.aside = nil
	d.mu.Unlock()
	for range n {
		d.queued.Done()
	}
}

// putLater queues a block, which the caller holds, for the writer; until
// written it is served from the queue. When the queue is full it waits
// for room if wait is set, else puts the block aside by name. The block's
// bytes must not change afterwards.
func (d *diskTier) putLater(id diskID, oname, name string, size int64, blk *block, wait bool) {
	blk.acquire() // the queue's hold; cannot fail, the caller holds it
	w := &diskWrite{id: id, oname: oname, size: size, blk: blk, name: name}
	d.mu.Lock()
	d.queued.Add(1)
	select {
	case d.queue <- w:
		d.pending[id] = w
		d.mu.Unlock()
		return
	default:
	}
	if wait {
		d.pending[id] = w
		d.mu.Unlock()
		d.queue <- w
		return
	}
	defer d.mu.Unlock()
	blk.release()
	d.skipped.Add(1)
	if d.recall != nil && len(d.aside) < maxAside {
		d.aside = append(d.aside, &diskWrite{id: id, oname: oname, size: size, name: name})
		return
	}
	d.queued.Done()
}

// queuedBlock returns a block waiting for the writer, held for the caller.
func (d *diskTier) queuedBlock(id diskID, oname string) (*block, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if w, ok := d.pending[id]; ok && w.oname == oname {
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

// subdir is the directory of the files of one object hash.
func (d *diskTier) subdir(obj uint64) string {
	return filepath.Join(d.dir, "objects", fmt.Sprintf("%02x", obj>>56))
}

// dataPath and indexPath are the files of an object version.
func (d *diskTier) dataPath(k fileKey) string {
	return filepath.Join(d.subdir(k.obj), fmt.Sprintf("%016x-%016x.data", k.obj, k.ver))
}

func (d *diskTier) indexPath(k fileKey) string {
	return filepath.Join(d.subdir(k.obj), fmt.Sprintf("%016x-%016x.index", k.obj, k.ver))
}

// get returns a block, held for the caller, or false when the tier lacks
// it or its bytes fail verification (the block is then dropped).
func (d *diskTier) get(id diskID, oname string, want int64) (*block, bool) {
	if blk, ok := d.queuedBlock(id, oname); ok {
		return blk, true
	}
	e, length, crc, touch := d.use(id, oname)
	if e == nil {
		return nil, false
	}
	if int64(length) != want {
		d.dropEntry(e)
		return nil, false
	}
	buf := make([]byte, length)
	path := d.dataPath(id.file)
	if err := preadFile(path, buf, id.idx*d.bs); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.log.Warn("cache: read block", "path", path, "err", err)
		}
		d.dropEntry(e)
		return nil, false
	}
	if crc32.Checksum(buf, castagnoli) != crc {
		d.corrupt.Add(1)
		d.log.Warn("cache: discarding damaged block", "path", path, "block", id.idx)
		d.dropEntry(e)
		return nil, false
	}
	d.mu.Lock()
	e.verified = true
	d.mu.Unlock()
	if touch {
		now := time.Now()
		_ = os.Chtimes(d.indexPath(id.file), now, now) // ordering hint only
	}
	return newBlock(buf, nil), true
}

// use marks a block as just used and returns its entry (nil when the tier
// lacks it) with its length and checksum, and whether the index file's time
// needs a refresh.
func (d *diskTier) use(id diskID, oname string) (e *diskEntry, length, crc uint32, touch bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.files[id.file]
	if f == nil || f.name != oname {
		return nil, 0, 0, false
	}
	el, ok := f.blocks[id.idx]
	if !ok {
		return nil, 0, 0, false
	}
	d.lru.MoveToFront(el)
	if now := time.Now(); now.Sub(f.touched) > touchEvery {
		f.touched = now
		touch = true
	}
	e = el.Value.(*diskEntry)
	return e, e.length, e.crc, touch
}

// has reports whether the tier holds a block, without reading it.
func (d *diskTier) has(id diskID) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, queued := d.pending[id]; queued {
		return true
	}
	f := d.files[id.file]
	if f == nil {
		return false
	}
	_, ok := f.blocks[id.idx]
	return ok
}

// put stores a queued block, evicting old blocks to stay within
// capacity, unless it was invalidated meanwhile. Errors are logged, not
// returned: a block that is not stored is only a miss later.
func (d *diskTier) put(w *diskWrite) {
	defer d.unqueue(w)
	if d.beforePut != nil {
		d.beforePut()
	}
	data := w.blk.data
	if int64(len(data))+entrySize > d.capacity {
		return
	}
	f, reopen, create := d.startWrite(w)
	if f == nil {
		return
	}
	crc := crc32.Checksum(data, castagnoli)
	err := d.open.write(d, f, reopen, create, w.id.idx*d.bs, data, encodeEntry(uint32(len(data)), crc))
	d.mu.Lock()
	defer d.mu.Unlock()
	f.writing--
	if f.dead {
		d.removeFilesLocked(f)
		return
	}
	if err != nil {
		d.writeFailed(fmt.Errorf("store block %d in %s: %w", w.id.idx, d.dataPath(f.key), err))
		if len(f.blocks) == 0 {
			d.dropFileLocked(f) // its files may be half made: the next block starts afresh
		}
		return
	}
	if d.failing.Swap(false) {
		d.log.Info("cache: storing blocks on disk again", "dir", d.dir)
	}
	e := &diskEntry{f: f, idx: w.id.idx, length: uint32(len(data)), crc: crc, verified: true}
	f.blocks[e.idx] = d.lru.PushFront(e)
	d.used += int64(e.length) + entrySize
	d.evictLocked()
}

// startWrite returns the file a queued block goes to, marked as being
// written, whether the writer must open its files anew and whether it
// must create them (the file is new to the tier); nil when the block is
// no longer wanted or already stored. Only the writer calls it.
func (d *diskTier) startWrite(w *diskWrite) (f *diskFile, reopen, create bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !w.recalled && d.pending[w.id] != w { // invalidated while queued
		return nil, false, false
	}
	f = d.files[w.id.file]
	if f == nil {
		f = &diskFile{key: w.id.file, name: w.oname, size: w.size, blocks: map[int64]*list.Element{}, touched: time.Now()}
		d.files[f.key] = f
		create = true
	}
	if f.name != w.oname || f.size != w.size {
		return nil, false, false // another version whose name hashes alike: left uncached
	}
	if _, ok := f.blocks[w.id.idx]; ok {
		return nil, false, false
	}
	f.writing++
	return f, create || d.open.f != f, create
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

// writeFailed logs a failed block write: the first of a series as a
// warning, the rest (a full disk fails every write) at debug level.
func (d *diskTier) writeFailed(err error) {
	if d.failing.Swap(true) {
		d.log.Debug("cache: block not stored", "err", err)
		return
	}
	d.log.Warn("cache: blocks are not being stored on disk", "dir", d.dir, "err", err)
}

// evictLocked drops least recently used blocks until the tier fits its
// capacity. d.mu is held.
func (d *diskTier) evictLocked() {
	for d.used > d.capacity {
		el := d.lru.Back()
		if el == nil {
			return
		}
		d.removeLocked(el.Value.(*diskEntry))
	}
}

// dropEntry drops a block that failed to read, unless it is gone already.
func (d *diskTier) dropEntry(e *diskEntry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := e.f.blocks[e.idx]; ok && el.Value == e {
		d.removeLocked(e)
	}
}

// removeLocked drops a block: its entry, its index record and its bytes
// (a hole in the data file, later when the file is pinned). A file left
// with no blocks is removed. d.mu is held.
func (d *diskTier) removeLocked(e *diskEntry) {
	f := e.f
	d.lru.Remove(f.blocks[e.idx])
	delete(f.blocks, e.idx)
	d.used -= int64(e.length) + entrySize
	if len(f.blocks) == 0 && f.writing == 0 {
		d.dropFileLocked(f)
		return
	}
	if err := pwriteFile(d.indexPath(f.key), encodeEntry(0, 0), d.entryOffset(f, e.idx)); err != nil {
		d.log.Warn("cache: clear index entry", "path", d.indexPath(f.key), "err", err)
	}
	if f.pins > 0 {
		f.holes = append(f.holes, e.idx)
		return
	}
	d.punch(f, e.idx)
}

// entryOffset is where block idx's entry lies in f's index file.
func (d *diskTier) entryOffset(f *diskFile, idx int64) int64 {
	return indexHeaderSize + int64(len(f.name)) + idx*entrySize
}

// punch frees the bytes of block idx in f's data file.
func (d *diskTier) punch(f *diskFile, idx int64) {
	path := d.dataPath(f.key)
	file, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err == nil {
		err = punchHole(file, idx*d.bs, min(d.bs, f.size-idx*d.bs))
		file.Close()
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.log.Warn("cache: free block", "path", path, "block", idx, "err", err)
	}
}

// dropFileLocked drops a file and all its blocks from the tier, and
// removes its files unless the writer is writing into them (it removes
// them when done). A pinned file's bytes stay readable through the open
// descriptors: only holes would change them. d.mu is held.
func (d *diskTier) dropFileLocked(f *diskFile) {
	for _, el := range f.blocks {
		e := el.Value.(*diskEntry)
		d.lru.Remove(el)
		d.used -= int64(e.length) + entrySize
	}
	f.blocks = map[int64]*list.Element{}
	f.dead = true
	if d.files[f.key] == f {
		delete(d.files, f.key)
	}
	if f.writing == 0 {
		d.removeFilesLocked(f)
	}
}

// removeFilesLocked deletes a dropped file's data and index. d.mu is held.
func (d *diskTier) removeFilesLocked(f *diskFile) {
	if f.writing > 0 {
		return
	}
	for _, path := range []string{d.indexPath(f.key), d.dataPath(f.key)} {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			d.log.Warn("cache: remove cache file", "path", path, "err", err)
		}
	}
}

// invalidate drops every version of the object with hash obj.
func (d *diskTier) invalidate(obj uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range d.pending {
		if id.file.obj == obj {
			delete(d.pending, id)
		}
	}
	d.aside = slices.DeleteFunc(d.aside, func(w *diskWrite) bool {
		if w.id.file.obj == obj {
			d.queued.Done()
			return true
		}
		return false
	})
	for k, f := range d.files {
		if k.obj == obj {
			d.dropFileLocked(f)
		}
	}
}

// localFile opens the data file of an object version when the tier holds
// every one of its blocks, each verified since Open, and pins it: until
// unpin is called no byte of it changes, even if its blocks are evicted.
func (d *diskTier) localFile(k fileKey, oname string, size int64) (file *os.File, unpin func(), ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.files[k]
	if f == nil || f.name != oname || f.size != size || int64(len(f.blocks)) != blockCount(size, d.bs) {
		return nil, nil, false
	}
	for _, el := range f.blocks {
		if !el.Value.(*diskEntry).verified {
			return nil, nil, false
		}
	}
	file, err := os.Open(d.dataPath(k))
	if err != nil {
		return nil, nil, false
	}
	f.pins++
	var once sync.Once
	return file, func() { once.Do(func() { d.unpin(f) }) }, true
}

// unpin ends a localFile use; the last one frees the blocks evicted meanwhile.
func (d *diskTier) unpin(f *diskFile) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f.pins--
	if f.pins > 0 || f.dead {
		return
	}
	for _, idx := range f.holes {
		if _, back := f.blocks[idx]; !back {
			d.punch(f, idx)
		}
	}
	f.holes = nil
}

// usage returns the bytes and blocks held.
func (d *diskTier) usage() (bytes, blocks int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.used, int64(d.lru.Len())
}

// preadFile reads len(buf) bytes of path at off.
func preadFile(path string, buf []byte, off int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.ReadAt(buf, off)
	return err
}

// pwriteFile writes buf into path at off.
func pwriteFile(path string, buf []byte, off int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteAt(buf, off)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// openFiles are the data and index files the writer has open: a long read
// stores many blocks of one version in a row. Only the writer uses them.
type openFiles struct {
	f           *diskFile
	data, index *os.File
}

// write stores a block's bytes at off in f's data file, then its entry in
// the index file, opening the files first when reopen is set (creating
// them when create is).
func (o *openFiles) write(d *diskTier, f *diskFile, reopen, create bool, off int64, data, entry []byte) error {
	if reopen {
		o.close()
		if err := o.openFor(d, f, create); err != nil {
			return err
		}
	}
	if _, err := o.data.WriteAt(data, off); err != nil {
		return err
	}
	_, err := o.index.WriteAt(entry, d.entryOffset(f, off/d.bs))
	return err
}

// openFor opens, or creates, f's files.
func (o *openFiles) openFor(d *diskTier, f *diskFile, create bool) error {
	flags := os.O_RDWR
	if create {
		flags |= os.O_CREATE | os.O_TRUNC
	}
	data, err := os.OpenFile(d.dataPath(f.key), flags, 0o644)
	if err != nil {
		return err
	}
	index, err := os.OpenFile(d.indexPath(f.key), flags, 0o644)
	if err != nil {
		data.Close()
		return err
	}
	o.f, o.data, o.index = f, data, index
	if create {
		return o.initialize(d, f)
	}
	return nil
}

// initialize sizes a new data file as its object and writes a new index
// file with no block in it.
func (o *openFiles) initialize(d *diskTier, f *diskFile) error {
	if err := o.data.Truncate(f.size); err != nil {
		return err
	}
	head := indexHeader(f.name, f.size, d.bs)
	if _, err := o.index.WriteAt(head, 0); err != nil {
		return err
	}
	return o.index.Truncate(int64(len(head)) + blockCount(f.size, d.bs)*entrySize)
}

// close closes the open files.
func (o *openFiles) close() {
	if o.data != nil {
		o.data.Close()
		o.index.Close()
	}
	*o = openFiles{}
}
