package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
)

// fileTable tracks the life of data files outside the KV:
//
//   - in flight: created, not yet referenced by a committed batch (the
//     sweep must not take them for orphans);
//   - pinned: being read (their removal waits until the last reader is
//     done, so a GET that began before a DELETE reads the whole version);
//   - doomed: released while pinned, removed at the last unpin.
//
// Released files are removed by a goroutine of the table's own, so that
// freeing a large file's blocks does not hold up the call that dropped it.
type fileTable struct {
	layout layout
	log    *slog.Logger
	bufs   sync.Pool // *[]byte of bufSize: the buffers bodies stream through

	mu       sync.Mutex
	inflight map[fileID]struct{}
	// seen holds every id put in flight since the running sweep began;
	// nil when no sweep runs.
	seen   map[fileID]struct{}
	pins   map[fileID]int
	doomed map[fileID]struct{}

	// The removal queue, its wake-up signal, and the removals not yet
	// done (queued or running).
	queue   []fileID
	wake    chan struct{}
	pending sync.WaitGroup
	stopped chan struct{}
	closing bool
}

func newFileTable(l layout, log *slog.Logger) *fileTable {
	t := &fileTable{
		layout: l, log: log,
		bufs:     sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }},
		inflight: map[fileID]struct{}{},
		pins:     map[fileID]int{},
		doomed:   map[fileID]struct{}{},
		wake:     make(chan struct{}, 1),
		stopped:  make(chan struct{}),
	}
	go t.remover()
	return t
}

// remover removes queued files until close.
func (t *fileTable) remover() {
	defer close(t.stopped)
	for {
		t.mu.Lock()
		batch, closing := t.queue, t.closing
		t.queue = nil
		t.mu.Unlock()
		for _, id := range batch {
			t.remove(id)
			t.pending.Done()
		}
		if len(batch) > 0 {
			continue
		}
		if closing {
			return
		}
		<-t.wake
	}
}

// enqueue hands files to the remover; after close it removes them here.
func (t *fileTable) enqueue(ids ...fileID) {
	t.mu.Lock()
	if t.closing {
		t.mu.Unlock()
		for _, id := range ids {
			t.remove(id)
		}
		return
	}
	t.pending.Add(len(ids))
	t.queue = append(t.queue, ids...)
	t.mu.Unlock()
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// flush waits until every file released so far is removed.
func (t *fileTable) flush() { t.pending.Wait() }

// close removes what is queued and stops the remover.
func (t *fileTable) close() {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
	select {
	case t.wake <- struct{}{}:
	default:
	}
	<-t.stopped
}

// reserve puts a fresh id in flight.
func (t *fileTable) reserve() fileID {
	id := newFileID()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inflight[id] = struct{}{}
	if t.seen != nil {
		t.seen[id] = struct{}{}
	}
	return id
}

// create makes a new, empty data file and puts it in flight.
func (t *fileTable) create() (fileID, *os.File, error) {
	id := t.reserve()
	path := t.layout.dataFile(id)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		t.discard(id)
		return id, nil, fmt.Errorf("create data file %s: %w", path, err)
	}
	return id, f, nil
}

// link gives the data of file src a second name, in flight, without
// copying it. The caller syncs the new name's folder.
func (t *fileTable) link(src fileID) (fileID, error) {
	id := t.reserve()
	if err := os.Link(t.layout.dataFile(src), t.layout.dataFile(id)); err != nil {
		t.discard(id)
		return id, fmt.Errorf("link data file %s: %w", src, err)
	}
	return id, nil
}

// committed takes files out of flight: a committed batch references them.
func (t *fileTable) committed(ids ...fileID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		delete(t.inflight, id)
	}
}

// discard removes files that never got referenced.
func (t *fileTable) discard(ids ...fileID) {
	t.committed(ids...)
	for _, id := range ids {
		t.remove(id)
	}
}

// release removes files that a committed batch no longer references, or
// dooms those a reader still holds.
func (t *fileTable) release(ids ...fileID) {
	var free []fileID
	t.mu.Lock()
	for _, id := range ids {
		if t.pins[id] > 0 {
			t.doomed[id] = struct{}{}
		} else {
			free = append(free, id)
		}
	}
	t.mu.Unlock()
	if len(free) > 0 {
		t.enqueue(free...)
	}
}

// pin keeps files from removal until unpin.
func (t *fileTable) pin(ids []fileID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range ids {
		t.pins[id]++
	}
}

// unpin ends a pin and removes the files doomed meanwhile.
func (t *fileTable) unpin(ids []fileID) {
	var gone []fileID
	t.mu.Lock()
	for _, id := range ids {
		if t.pins[id]--; t.pins[id] > 0 {
			continue
		}
		delete(t.pins, id)
		if _, ok := t.doomed[id]; ok {
			delete(t.doomed, id)
			gone = append(gone, id)
		}
	}
	t.mu.Unlock()
	if len(gone) > 0 {
		t.enqueue(gone...)
	}
}

func (t *fileTable) remove(id fileID) {
	path := t.layout.dataFile(id)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.log.Warn("remove data file", "path", path, "err", err)
	}
}

// beginSweep starts recording the ids put in flight, which a sweep must
// spare even after they leave flight.
func (t *fileTable) beginSweep() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seen = make(map[fileID]struct{}, len(t.inflight))
	for id := range t.inflight {
		t.seen[id] = struct{}{}
	}
}

func (t *fileTable) endSweep() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seen = nil
}

// sweepable tells whether the sweep may release an unreferenced file.
func (t *fileTable) sweepable(id fileID) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, seen := t.seen[id]
	_, inflight := t.inflight[id]
	return !seen && !inflight
}
