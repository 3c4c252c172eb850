package mount

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// FS is a mounted bucket (prefix).
type FS struct {
	store     objstore.Store
	opts      Options
	log       *slog.Logger
	root      *node
	server    *fuse.Server
	journal   *journal
	start     time.Time
	recovered []string

	wbSem chan struct{}  // bounds the background uploads at once
	wbWG  sync.WaitGroup // background uploads scheduled and not ended
	// leaving is closed when unmounting begins: uploads waiting out
	// Options.WriteBackDelay start at once.
	leaving   chan struct{}
	leaveOnce sync.Once

	passthroughOpens atomic.Int64 // opens the kernel reads from the disk cache

	mu          sync.Mutex
	draining    bool               // unmounted: failed uploads are no longer retried in the background
	dirty       map[*node]struct{} // nodes holding content not stored yet
	pendingKeys map[string]*node   // the dirty nodes by the key they go to
	warned      map[string]bool    // keys already reported as unrepresentable
}

// Mount mounts the bucket (prefix) of store on dir and returns once the
// mount is ready. Files a previous mount staged and did not store are
// uploaded first (see Recovered).
func Mount(ctx context.Context, store objstore.Store, dir string, opts Options) (*FS, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if _, err := store.HeadBucket(ctx, opts.Bucket); err != nil {
		return nil, fmt.Errorf("mount %s: %w", opts.Bucket, err)
	}
	j, err := openJournal(opts.StagingDir)
	if err != nil {
		return nil, fmt.Errorf("mount %s on %s: %w", opts.Bucket, dir, err)
	}
	f := &FS{
		store: store, opts: opts, log: opts.Logger, journal: j, start: time.Now(),
		dirty: map[*node]struct{}{}, pendingKeys: map[string]*node{}, warned: map[string]bool{},
		wbSem: make(chan struct{}, opts.WriteBackConcurrency), leaving: make(chan struct{}),
	}
	if err := f.recover(ctx); err != nil {
		j.close()
		return nil, fmt.Errorf("mount %s on %s: %w", opts.Bucket, dir, err)
	}
	f.root = &node{fsys: f, a: attrs{mode: syscall.S_IFDIR | uint32(opts.DirMode.Perm()), uid: opts.UID, gid: opts.GID, mtime: f.start}}
	f.server, err = fs.Mount(dir, f.root, f.fuseOptions())
	if err != nil {
		j.close()
		return nil, fmt.Errorf("mount %s on %s: %w", opts.Bucket, dir, err)
	}
	if err := raiseReadahead(dir, kernelReadahead); err != nil {
		f.log.Debug("kernel read-ahead left at its default", "dir", dir, "err", err)
	}
	return f, nil
}

// fuseOptions are the go-fuse options of the mount.
func (f *FS) fuseOptions() *fs.Options {
	ttl := f.opts.MetadataTTL
	var negative time.Duration
	mo := fuse.MountOptions{
		FsName:       "cairn:" + f.opts.Bucket + "/" + f.opts.Prefix,
		Name:         "cairn",
		AllowOther:   f.opts.AllowOther,
		DirectMount:  true,
		MaxWrite:     1 << 20,
		MaxReadAhead: kernelReadahead,
	}
	if f.opts.ReadOnly {
		mo.Options = append(mo.Options, "ro")
	}
	return &fs.Options{
		MountOptions:    mo,
		EntryTimeout:    &ttl,
		AttrTimeout:     &ttl,
		NegativeTimeout: &negative,
	}
}

// Wait returns once the file system is unmounted and every file closed
// in it is stored (or, failing that, left journaled for the next Mount).
func (f *FS) Wait() {
	f.server.Wait()
	f.drain()
}

// Unmount stores every file with content not stored yet, then unmounts.
// A file that fails to upload stays journaled for the next Mount.
func (f *FS) Unmount() error {
	f.leave()
	ferr := f.flushAll(context.Background())
	if err := f.server.Unmount(); err != nil {
		return fmt.Errorf("unmount: %w", err)
	}
	f.wbWG.Wait()
	f.journal.close()
	return ferr
}

// Recovered reports the files (paths below the mount root) that Mount
// found staged and not stored by an earlier mount, and stored.
func (f *FS) Recovered() []string { return slices.Clone(f.recovered) }

// recover uploads what the journal holds for this bucket and prefix.
func (f *FS) recover(ctx context.Context) error {
	pending, err := f.journal.pending(f.log.Warn)
	if err != nil {
		return err
	}
	for _, p := range pending {
		rel, ok := strings.CutPrefix(p.Key, f.opts.Prefix)
		if p.Bucket != f.opts.Bucket || !ok {
			f.log.Warn("staged file of another mount left in place", "bucket", p.Bucket, "key", p.Key)
			continue
		}
		if err := f.recoverOne(ctx, p); err != nil {
			return err
		}
		f.log.Info("stored a file staged by an earlier mount", "bucket", p.Bucket, "key", p.Key)
		f.recovered = append(f.recovered, rel)
	}
	return nil
}

// recoverOne uploads one pending file and drops it from the journal.
func (f *FS) recoverOne(ctx context.Context, p pendingFile) error {
	file, err := os.Open(p.data)
	if err != nil {
		return fmt.Errorf("recover %s: %w", p.Key, err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return fmt.Errorf("recover %s: %w", p.Key, err)
	}
	a := attrs{mode: p.Mode, uid: p.UID, gid: p.GID, mtime: st.ModTime()}
	if _, err := f.upload(ctx, p.Key, file, st.Size(), a); err != nil {
		return fmt.Errorf("recover %s: %w", p.Key, err)
	}
	f.journal.done(p)
	return nil
}

// upload stores size bytes of r as key with the metadata of a.
func (f *FS) upload(ctx context.Context, key string, r *os.File, size int64, a attrs) (objstore.ObjectInfo, error) {
	topts := f.opts.transferOptions()
	topts.Put.ObjectMeta = objstore.ObjectMeta{ContentType: contentType(key), UserMetadata: a.userMetadata()}
	// A section, not the file: the file's own offset is wherever an
	// earlier upload of the same staged file left it.
	info, err := transfer.Upload(ctx, f.store, f.opts.Bucket, key, io.NewSectionReader(r, 0, size), size, topts)
	if err != nil {
		return info, fmt.Errorf("upload %s: %w", key, err)
	}
	f.invalidate(key)
	return info, nil
}

// contentType guesses the content type of key from its extension; a
// directory marker's is s3fs's.
func contentType(key string) string {
	if strings.HasSuffix(key, "/") {
		return dirContentType
	}
	if t := mime.TypeByExtension(path.Ext(key)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// invalidate drops what the block cache holds of key.
func (f *FS) invalidate(key string) {
	if f.opts.Cache != nil {
		f.opts.Cache.Invalidate(f.opts.Bucket, key)
	}
}

// warnSkipped reports, once per key, a key that cannot be shown.
func (f *FS) warnSkipped(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.warned[key] {
		f.warned[key] = true
		f.log.Warn("key skipped: it cannot be a POSIX path", "bucket", f.opts.Bucket, "key", key)
	}
}

// setDirty records whether n holds content not stored yet, to go to
// key.
func (f *FS) setDirty(n *node, key string, dirty bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if dirty {
		f.dirty[n] = struct{}{}
		f.pendingKeys[key] = n
		return
	}
	delete(f.dirty, n)
	if f.pendingKeys[key] == n {
		delete(f.pendingKeys, key)
	}
}

// dirtyNodes returns the nodes holding content not stored yet.
func (f *FS) dirtyNodes() []*node {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*node, 0, len(f.dirty))
	for n := range f.dirty {
		out = append(out, n)
	}
	return out
}

// flushAll stores every dirty file and returns the first failure.
func (f *FS) flushAll(ctx context.Context) error {
	var first error
	for _, n := range f.dirtyNodes() {
		if errno := n.sync(ctx); errno != 0 && first == nil {
			first = fmt.Errorf("store %s: %w", n.key(), errno)
		}
	}
	return first
}
