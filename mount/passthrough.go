package mount

import (
	"context"
	"os"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/cache"
)

// Passthrough: when the block cache's disk tier holds the whole stored
// version of a clean file, a read-only open hands the kernel the cache's
// file of that version (FUSE passthrough, Linux 6.9 and later, root
// only), and the kernel reads and maps it straight from there: warm reads
// run at the speed of the local disk's page cache and never reach the
// mount.
//
// The kernel holds an inode open through passthrough to it: every other
// open of the inode meanwhile must be a passthrough open of the same file
// (the kernel fails any other with EIO), and a file goes passthrough only
// when it has no other open. So, while a file is open for reading from
// the disk cache, like a program's file while it runs:
//   - further read-only opens read the same version, even if the object
//     changed in the store since (they see the change once all are closed);
//   - opening it for writing or truncating it waits up to a second for it
//     to be closed, then fails with ETXTBSY ("text file busy"), which is
//     what the kernel can offer; --no-passthrough
//     (Options.NoPassthrough) turns passthrough off.

// passthroughGrace is how long an open for writing or a truncation
// waits for the file's passthrough handles to be released before it fails
// with ETXTBSY. The kernel sends a release after close(2) returns, so a
// program that reads a file and then writes it would otherwise race its
// own release.
const passthroughGrace = time.Second

// ioModes are a file's passthrough opens.
type ioModes struct {
	passthrough int           // open handles; the rest of node.opens are cached opens
	file        *os.File      // the cache's file the kernel reads, pinned
	release     func()        // unpins file
	closed      chan struct{} // closed when the last passthrough handle is released; nil until awaited
}

// passthroughHandle is a handle whose reads the kernel serves from a
// local file.
type passthroughHandle struct {
	*handle
	fd int
}

var _ fs.FilePassthroughFder = (*passthroughHandle)(nil)

// PassthroughFd returns the local file the kernel reads from. go-fuse
// asks for it at the first passthrough open of the inode only, and
// registers it with the kernel.
func (h *passthroughHandle) PassthroughFd() (int, bool) { return h.fd, true }

// PassthroughOpens returns how many opens so far the kernel reads
// straight from the disk cache.
func (f *FS) PassthroughOpens() int64 { return f.passthroughOpens.Load() }

// passthroughOK reports whether the kernel offered passthrough and the
// mount may use it (registering a file takes CAP_SYS_ADMIN).
func (f *FS) passthroughOK() bool {
	if f.opts.NoPassthrough || f.opts.Cache == nil || os.Geteuid() != 0 {
		return false
	}
	return f.server.KernelSettings().Flags64()&fuse.CAP_PASSTHROUGH != 0
}

// openModeLocked returns the handle of a new open of the file, with its
// FUSE open flags: a passthrough handle when the file can go or is
// passthrough (see above), else the cached handle and flags it is given.
// n.mu is held.
func (n *node) openModeLocked(write bool, cached *handle, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	m := &n.io
	switch {
	case m.passthrough > 0 && write:
		return nil, 0, syscall.ETXTBSY
	case m.passthrough > 0:
		m.passthrough++
		n.fsys.passthroughOpens.Add(1)
		return &passthroughHandle{handle: cached, fd: int(m.file.Fd())}, 0, 0
	case !write && n.opens == 0 && n.st == nil && n.a.etag != "" && n.fsys.passthroughOK():
		obj := cache.ObjectID{Bucket: n.fsys.opts.Bucket, Key: n.key(), Version: n.a.etag}
		if file, release, ok := n.fsys.opts.Cache.LocalFile(obj, n.a.size); ok {
			m.passthrough, m.file, m.release = 1, file, release
			n.fsys.passthroughOpens.Add(1)
			return &passthroughHandle{handle: cached, fd: int(file.Fd())}, 0, 0
		}
	}
	return cached, flags, 0
}

// closeModeLocked counts a handle out; the last passthrough handle
// unpins the local file. n.mu is held.
func (n *node) closeModeLocked(h fs.FileHandle) {
	if _, ok := h.(*passthroughHandle); ok {
		if n.io.passthrough--; n.io.passthrough == 0 {
			n.io.file.Close()
			n.io.release()
			if n.io.closed != nil {
				close(n.io.closed)
			}
			n.io = ioModes{}
		}
	}
}

// awaitNoPassthroughLocked waits, for at most passthroughGrace, until the
// file has no passthrough handle, and fails with ETXTBSY if it still has
// one then. n.mu is held, and released while waiting.
func (n *node) awaitNoPassthroughLocked(ctx context.Context) syscall.Errno {
	if n.io.passthrough == 0 {
		return 0
	}
	deadline := time.Now().Add(passthroughGrace)
	timer := time.NewTimer(passthroughGrace)
	defer timer.Stop()
	for n.io.passthrough > 0 {
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			return syscall.ETXTBSY // being read from the disk cache (see above)
		}
		if n.io.closed == nil {
			n.io.closed = make(chan struct{})
		}
		closed := n.io.closed
		n.mu.Unlock()
		select {
		case <-closed:
		case <-timer.C:
		case <-ctx.Done():
		}
		n.mu.Lock()
	}
	return 0
}

// handleOf returns the handle behind any of the handle types.
func handleOf(f fs.FileHandle) (*handle, bool) {
	switch h := f.(type) {
	case *handle:
		return h, true
	case *passthroughHandle:
		return h.handle, true
	}
	return nil, false
}
