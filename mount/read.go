package mount

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/cache"
	"github.com/cairnfs/cairn/objstore"
)

var (
	_ fs.NodeOpener     = (*node)(nil)
	_ fs.NodeReader     = (*node)(nil)
	_ fs.NodeReadlinker = (*node)(nil)
)

// handle is an open file.
type handle struct {
	appendOnly bool             // O_APPEND: every write goes to the end
	etag       string           // the version ra reads
	ra         *cache.Readahead // sequential prefetch through the block cache; nil without one
}

// Open opens the file. A clean file's attributes are read again once
// older than the metadata TTL (close-to-open coherence), and the kernel
// keeps its page cache when the ETag is the one it cached.
func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	write := flags&syscall.O_ACCMODE != syscall.O_RDONLY
	if write && n.fsys.opts.ReadOnly {
		return nil, 0, syscall.EROFS
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if errno := n.refreshLocked(ctx); errno != 0 {
		return nil, 0, errno
	}
	if write {
		if errno := n.awaitNoPassthroughLocked(ctx); errno != 0 {
			return nil, 0, errno
		}
	}
	if write && flags&syscall.O_TRUNC != 0 {
		if errno := n.truncateLocked(ctx, 0); errno != 0 {
			return nil, 0, errno
		}
	}
	var fuseFlags uint32
	if n.st == nil && n.a.etag != "" && n.a.etag == n.keepETag {
		fuseFlags |= fuse.FOPEN_KEEP_CACHE
	}
	h := &handle{appendOnly: flags&syscall.O_APPEND != 0}
	fh, fuseFlags, errno := n.openModeLocked(write, h, fuseFlags)
	if errno != 0 {
		return nil, 0, errno
	}
	if _, pt := fh.(*passthroughHandle); n.st == nil && !pt {
		n.keepETag = n.a.etag
		h.readahead(n)
	}
	n.opens++
	return fh, fuseFlags, 0
}

// readahead sets up the handle's prefetch of the stored version of a
// clean file, when there is a block cache.
func (h *handle) readahead(n *node) {
	c := n.fsys.opts.Cache
	if c == nil || n.a.etag == "" || n.a.isDir() {
		return
	}
	h.etag = n.a.etag
	obj := cache.ObjectID{Bucket: n.fsys.opts.Bucket, Key: n.key(), Version: h.etag}
	h.ra = cache.NewReadahead(c, obj, n.a.size, n.fsys.fetcher(n.key, h.etag), 0)
}

// Read reads from the staged content when there is some, else from the
// stored object (through the block cache when one is set).
func (n *node) Read(ctx context.Context, f fs.FileHandle, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	n.mu.Lock()
	if n.st != nil {
		defer n.mu.Unlock()
		k, err := n.st.f.ReadAt(dest, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, toErrno(err)
		}
		return dataResult(dest[:k]), 0
	}
	a, key := n.a, n.key()
	n.mu.Unlock()
	if off >= a.size {
		return dataResult(nil), 0
	}
	p := dest[:min(int64(len(dest)), a.size-off)]
	var k int
	var err error
	if h, ok := handleOf(f); ok && h.ra != nil && h.etag == a.etag {
		// A read within one block is answered with the cached block
		// itself, without a copy.
		var b cache.Bytes
		if b, err = h.ra.Read(ctx, p, off); err == nil || errors.Is(err, io.EOF) {
			return cachedResult{b}, 0
		}
	} else {
		k, err = n.fsys.readAt(ctx, key, a, p, off)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		n.fsys.log.Warn("read failed", "key", key, "offset", off, "err", err)
		return nil, toErrno(err)
	}
	return dataResult(p[:k]), 0
}

// cachedResult answers a read with bytes read through the block cache,
// which it lets go of once go-fuse has sent them to the kernel.
type cachedResult struct{ b cache.Bytes }

// Bytes returns the bytes read.
func (r cachedResult) Bytes([]byte) ([]byte, fuse.Status) { return r.b.Data(), fuse.OK }

// Size returns the number of bytes read.
func (r cachedResult) Size() int { return len(r.b.Data()) }

// Done releases the bytes.
func (r cachedResult) Done() { r.b.Release() }

// Slices returns the bytes read as the one slice they are. go-fuse sends
// a result that has Slices with a single writev, where it would
// otherwise first try to splice it (which only a file can be) and fall
// back after several system calls.
func (r cachedResult) Slices() ([][]byte, fuse.Status) { return [][]byte{r.b.Data()}, fuse.OK }

// dataResult answers a read with bytes of the reader's own buffer, sent
// with a single writev like cachedResult: go-fuse would otherwise first
// try to splice them (which fails, and logs it, for a reply of 1 MiB).
type dataResult []byte

// Bytes returns the bytes read.
func (r dataResult) Bytes([]byte) ([]byte, fuse.Status) { return r, fuse.OK }

// Size returns the number of bytes read.
func (r dataResult) Size() int { return len(r) }

// Done does nothing: the buffer is go-fuse's.
func (r dataResult) Done() {}

// Slices returns the bytes read as one slice.
func (r dataResult) Slices() ([][]byte, fuse.Status) { return [][]byte{r}, fuse.OK }

// readAt fills p from offset off of the version of key that a describes.
func (f *FS) readAt(ctx context.Context, key string, a attrs, p []byte, off int64) (int, error) {
	if c := f.opts.Cache; c != nil {
		obj := cache.ObjectID{Bucket: f.opts.Bucket, Key: key, Version: a.etag}
		return c.ReadAt(ctx, obj, a.size, p, off, f.fetcher(func() string { return key }, a.etag))
	}
	return f.getRange(ctx, key, a.etag, p, off)
}

// fetcher returns the range reader of the version etag of the object
// keyOf names (its key now: a file open across a rename of it or of its
// directory keeps reading) that the block cache fetches blocks with.
func (f *FS) fetcher(keyOf func() string, etag string) cache.Fetcher {
	return func(ctx context.Context, off, n int64) (io.ReadCloser, error) {
		return f.openRange(ctx, keyOf(), etag, off, n)
	}
}

// openRange opens n bytes of key at off with a range GET pinned to etag,
// so that bytes of two versions never mix.
func (f *FS) openRange(ctx context.Context, key, etag string, off, n int64) (io.ReadCloser, error) {
	g := objstore.GetOptions{Range: &objstore.Range{First: off, Last: off + n - 1}}
	g.IfMatch = etag
	obj, err := f.store.GetObject(ctx, f.opts.Bucket, key, g)
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", key, g.Range, err)
	}
	return obj.Body, nil
}

// getRange reads len(p) bytes of key at off with a range GET pinned to
// etag.
func (f *FS) getRange(ctx context.Context, key, etag string, p []byte, off int64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	body, err := f.openRange(ctx, key, etag, off, int64(len(p)))
	if err != nil {
		return 0, err
	}
	defer body.Close()
	k, err := io.ReadFull(body, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	if err != nil {
		return k, fmt.Errorf("get %s at %d: %w", key, off, err)
	}
	return k, nil
}

// Readlink returns a symlink's target: its object's body.
func (n *node) Readlink(ctx context.Context) ([]byte, syscall.Errno) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.target == "" {
		obj, err := n.fsys.store.GetObject(ctx, n.fsys.opts.Bucket, n.key(), objstore.GetOptions{})
		if err != nil {
			return nil, toErrno(err)
		}
		defer obj.Body.Close()
		b, err := io.ReadAll(io.LimitReader(obj.Body, 4096))
		if err != nil {
			return nil, toErrno(err)
		}
		n.target = string(b)
	}
	return []byte(n.target), 0
}
