package mount

import (
	"context"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Write-back: a closed file is uploaded in the background by a bounded
// pool (Options.WriteBackConcurrency uploads at once), its staged file
// journaled until stored. fsync and Unmount wait for the upload; a
// failed background upload is logged, reported as EIO by the next close
// or fsync of the file, and tried again in the background after a delay
// that doubles from retryFirst to retryMax (and by the next close, fsync,
// Unmount or Mount). Options.SyncClose makes close wait instead.

// maxStoreTries bounds the uploads one store makes of a file written
// again while it was being uploaded.
const maxStoreTries = 3

// retryFirst and retryMax bound the delay before a failed background
// upload is tried again.
const (
	retryFirst = time.Second
	retryMax   = time.Minute
)

// uploadJob is one upload of a node's staged content, taken under the
// node's lock and run without it.
type uploadJob struct {
	n    *node
	key  string
	size int64
	gen  uint64
	a    attrs
	f    *os.File
	ed   *edits
	strm *stream
}

// scheduleLocked queues a background upload of a dirty node, to start
// after Options.WriteBackDelay: what a program does right after closing
// a file (rsync sets its times) goes up with it, in one upload. A file
// whose mtime was set through an open handle (tar and cp -p set the
// times last, before closing) starts at once, as does every upload once
// unmounting begins.
func (n *node) scheduleLocked() {
	if !n.dirty || n.removed || n.queued {
		return
	}
	n.queued = true
	timed := n.timed
	n.timed = false
	f := n.fsys
	f.wbWG.Add(1)
	d := f.opts.WriteBackDelay
	if timed {
		d = 0
	}
	go func() {
		if d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-f.leaving:
			}
		}
		f.writeBackOne(n)
	}()
}

// leave starts the uploads waiting out the write-back delay: the mount is
// being unmounted, which waits for them.
func (f *FS) leave() { f.leaveOnce.Do(func() { close(f.leaving) }) }

// writeBackOne uploads n once a place in the pool is free, and drops
// its staged content when it is stored and closed.
func (f *FS) writeBackOne(n *node) {
	defer f.wbWG.Done()
	f.wbSem <- struct{}{}
	defer func() { <-f.wbSem }()
	n.mu.Lock()
	n.queued = false
	errno := n.storeLocked(context.Background())
	switch {
	case errno != 0:
		n.upErr = errno
		n.retryLaterLocked()
	case n.dirty && n.opens == 0:
		n.scheduleLocked() // written again while it was uploaded
	}
	n.dropStageLocked()
	unpin := n.unpinLocked()
	n.mu.Unlock()
	if unpin {
		n.ForgetPersistent()
	}
}

// retryMessage is logged when a failed background upload is to be tried
// again.
const retryMessage = "upload failed: trying again later"

// retryLaterLocked schedules another background upload of a node whose
// upload failed, after a delay that doubles with each failure in a row,
// unless the mount is being unmounted (Unmount stores what is left).
func (n *node) retryLaterLocked() {
	if !n.dirty || n.removed {
		return
	}
	n.retries++
	delay := min(retryFirst<<min(n.retries-1, 10), retryMax)
	f := n.fsys
	f.log.Warn(retryMessage, "key", n.key(), "in", delay)
	time.AfterFunc(delay, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		f.mu.Lock()
		defer f.mu.Unlock()
		if !f.draining && n.opens == 0 {
			n.scheduleLocked()
		}
	})
}

// waitUploadLocked waits, without the lock, for the upload of the node
// under way, if any.
func (n *node) waitUploadLocked() {
	for n.inflight != nil {
		ch := n.inflight
		n.mu.Unlock()
		<-ch
		n.mu.Lock()
	}
}

// storeLocked stores the staged content of a dirty node, waiting first
// for an upload of it under way. The lock is released during the
// upload: reads, writes and stats of the file go on meanwhile, and a
// write made then leaves the file dirty for the next upload. On failure
// the content stays staged and journaled.
func (n *node) storeLocked(ctx context.Context) syscall.Errno {
	for try := 1; ; try++ {
		n.waitUploadLocked()
		if !n.dirty || n.removed {
			return 0
		}
		job, err := n.takeJobLocked()
		if err != nil {
			return toErrno(err)
		}
		done := make(chan struct{})
		n.inflight = done
		n.mu.Unlock()
		info, err := job.run(ctx)
		n.mu.Lock()
		n.inflight = nil
		close(done)
		again := n.gen != job.gen && try < maxStoreTries
		if err != nil {
			if again {
				continue
			}
			n.fsys.log.Error("store file", "key", job.key, "err", err)
			return toErrno(err)
		}
		n.storedLocked(job, info)
		if !again {
			return 0
		}
	}
}

// takeJobLocked captures what an upload of the node's content needs.
func (n *node) takeJobLocked() (*uploadJob, error) {
	size, err := n.st.size()
	if err != nil {
		return nil, err
	}
	job := &uploadJob{n: n, key: n.key(), size: size, gen: n.gen, a: n.a, f: n.st.f, ed: n.ed, strm: n.strm}
	n.strm, n.seq = nil, false
	return job, nil
}

// run uploads the job's content: finishing the upload streamed while
// the file was written, reusing the unchanged parts of the stored
// version, or sending it all.
func (j *uploadJob) run(ctx context.Context) (objstore.ObjectInfo, error) {
	f := j.n.fsys
	if j.strm != nil {
		info, err := j.strm.finish(ctx, j.key, j.size, j.a)
		if err == nil {
			return info, nil
		}
		f.log.Info("early upload failed: sending the whole file", "key", j.key, "err", err)
	}
	if j.ed != nil {
		info, handled, err := f.uploadEdited(ctx, j.key, j.f, j.size, j.a, j.ed)
		if handled {
			return info, err
		}
		if err != nil {
			f.log.Info("stored version changed: sending the whole file", "key", j.key, "err", err)
		}
	}
	return f.upload(ctx, j.key, j.f, j.size, j.a)
}

// storedLocked records that the job's upload succeeded. A file written
// again meanwhile stays dirty, its edits unknown (it is sent whole).
func (n *node) storedLocked(j *uploadJob, info objstore.ObjectInfo) {
	n.local = false
	n.upErr, n.retries = 0, 0
	n.a.etag = info.ETag
	n.listedParent(false, false)
	if n.gen != j.gen {
		n.ed = nil
		return
	}
	if err := n.st.settle(); err != nil {
		n.fsys.log.Warn("settle staged file", "key", j.key, "err", err)
	}
	n.dirty = false
	n.fsys.setDirty(n, n.pendingKey(), false)
	n.a.size = j.size
	n.ed = newEdits(info.ETag, j.size)
	n.keepETag = info.ETag
}

// Sync stores every file written and not stored yet, waiting for the
// uploads under way, and returns the first failure.
func (f *FS) Sync(ctx context.Context) error {
	return f.flushAll(ctx)
}

// syncBelow stores every file with content not stored yet whose key
// starts with prefix.
func (f *FS) syncBelow(ctx context.Context, prefix string) syscall.Errno {
	var first syscall.Errno
	for _, n := range f.dirtyNodes() {
		if !strings.HasPrefix(n.key(), prefix) {
			continue
		}
		if errno := n.sync(ctx); errno != 0 && first == 0 {
			first = errno
		}
	}
	return first
}

// drain stores what is left once the kernel let go of the mount, and
// waits for the background uploads to end.
func (f *FS) drain() {
	f.leave()
	f.mu.Lock()
	f.draining = true // no retry adds to wbWG once it is waited for
	f.mu.Unlock()
	if err := f.flushAll(context.Background()); err != nil {
		f.log.Error("store files after unmount: they stay journaled for the next mount", "err", err)
	}
	f.wbWG.Wait()
}

// settleKey stores first the file with content not stored yet that is
// to go to key and that the tree no longer holds (the kernel forgot it
// after its close), so that lookups, unlinks and renames of key see
// and act on the stored version.
func (f *FS) settleKey(ctx context.Context, key string) syscall.Errno {
	f.mu.Lock()
	n := f.pendingKeys[key]
	f.mu.Unlock()
	if n == nil {
		return 0
	}
	if _, inTree := n.relPath(); inTree {
		return 0
	}
	return n.sync(ctx)
}

// takeUploadErrorLocked returns, and clears, the failure of the last
// background upload of the node.
func (n *node) takeUploadErrorLocked() syscall.Errno {
	errno := n.upErr
	n.upErr = 0
	if errno != 0 {
		return syscall.EIO
	}
	return 0
}

// pendingKey returns the key the journal record names; "" when none.
func (n *node) pendingKey() string {
	if k := n.jkey.Load(); k != nil {
		return *k
	}
	return ""
}
