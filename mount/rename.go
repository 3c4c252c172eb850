package mount

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

var _ fs.NodeRenamer = (*node)(nil)

// The rename(2) flags of Linux.
const (
	renameNoReplace = 1 << 0
	renameExchange  = 1 << 1
	renameWhiteout  = 1 << 2
)

// Rename moves a file (server-side copy, then delete; a file with
// content not stored yet is stored first) or a directory (every key
// below it). RENAME_EXCHANGE and RENAME_WHITEOUT answer EINVAL.
func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if n.fsys.opts.ReadOnly {
		return syscall.EROFS
	}
	if flags&(renameExchange|renameWhiteout) != 0 {
		return syscall.EINVAL
	}
	np, ok := newParent.(*node)
	if !ok || !validName(newName) {
		return syscall.EINVAL
	}
	if flags&renameNoReplace != 0 {
		if _, err := np.stat(ctx, newName); err == nil {
			return syscall.EEXIST
		}
	}
	src, dst := n.childKey(name), np.childKey(newName)
	if errno := n.settleRename(ctx, src, dst, np.GetChild(newName), n.GetChild(name)); errno != 0 {
		return errno
	}
	a, errno := n.entryAttrs(ctx, name)
	if errno != 0 {
		return errno
	}
	replaced := np.GetChild(newName)
	var err error
	if a.isDir() {
		err = n.fsys.moveTree(ctx, src+"/", dst+"/")
	} else {
		err = n.fsys.moveObject(ctx, src, dst)
	}
	if err != nil || a.isDir() {
		n.forgetListing()
		np.forgetListing()
	} else {
		n.listed(name, false, true)
		np.listed(newName, false, false)
	}
	if err != nil {
		n.fsys.log.Error("rename", "from", src, "to", dst, "err", err)
		return toErrno(err)
	}
	if replaced != nil && replaced != n.GetChild(name) && !a.isDir() {
		replaced.Operations().(*node).forget()
	}
	return 0
}

// settleRename stores first the files with content not stored yet that
// a rename from src to dst acts on and that the tree no longer holds,
// and the file it replaces, so that no upload of them ends after the
// rename and undoes it.
func (n *node) settleRename(ctx context.Context, src, dst string, replaced, moved *fs.Inode) syscall.Errno {
	for _, key := range []string{src, dst} {
		if errno := n.fsys.settleKey(ctx, key); errno != 0 {
			return errno
		}
	}
	if replaced != nil && replaced != moved {
		return replaced.Operations().(*node).sync(ctx)
	}
	return 0
}

// entryAttrs returns the attributes of entry name, storing first the
// content of a file not stored yet so that it can be copied.
func (n *node) entryAttrs(ctx context.Context, name string) (attrs, syscall.Errno) {
	ch := n.GetChild(name)
	if ch == nil {
		a, err := n.stat(ctx, name)
		return a, toErrno(err)
	}
	cn := ch.Operations().(*node)
	if errno := cn.sync(ctx); errno != 0 {
		return attrs{}, errno
	}
	return *cn.attrsCopy(), 0
}

// moveObject copies src to dst server side and deletes src.
func (f *FS) moveObject(ctx context.Context, src, dst string) error {
	co := objstore.CopyOptions{Source: objstore.CopySource{Bucket: f.opts.Bucket, Key: src}}
	if _, err := transfer.Copy(ctx, f.store, f.opts.Bucket, dst, co, f.opts.transferOptions()); err != nil {
		return fmt.Errorf("move %s to %s: %w", src, dst, err)
	}
	if _, err := f.store.DeleteObject(ctx, f.opts.Bucket, src, objstore.DeleteOptions{}); err != nil {
		return fmt.Errorf("move %s to %s: delete source: %w", src, dst, err)
	}
	f.invalidate(src)
	f.invalidate(dst)
	return nil
}

// moveTree moves every key below the prefix src to below dst, storing
// first the files below src that hold content not stored yet.
func (f *FS) moveTree(ctx context.Context, src, dst string) error {
	for _, d := range f.dirtyNodes() {
		if strings.HasPrefix(d.key(), src) {
			if errno := d.sync(ctx); errno != 0 {
				return fmt.Errorf("store %s before moving it: %w", d.key(), errno)
			}
		}
	}
	var keys []string
	for page, err := range transfer.ObjectPages(ctx, f.store, f.opts.Bucket, objstore.ListOptions{Prefix: src}) {
		if err != nil {
			return err
		}
		for _, o := range page.Objects {
			keys = append(keys, o.Key)
		}
	}
	return f.parallel(ctx, len(keys), func(ctx context.Context, i int) error {
		return f.moveObject(ctx, keys[i], dst+keys[i][len(src):])
	})
}

// parallel runs fn for 0..n-1, UploadConcurrency at a time, and
// returns the first failure.
func (f *FS) parallel(ctx context.Context, n int, fn func(context.Context, int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, f.opts.UploadConcurrency)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(ctx, i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}
