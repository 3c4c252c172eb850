package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/sync/pair"
)

// join returns the local path of rel under root.
func join(root, rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }

// under tells whether rel is scope or below it ("" covers everything).
func under(rel, scope string) bool {
	return scope == "" || rel == scope || strings.HasPrefix(rel, scope+"/")
}

// skipped tells whether the sync leaves the local path alone.
func (e *Engine) skipped(rel string, isDir bool) bool {
	name := path.Base(rel)
	if rel == pair.StateDirName || strings.HasPrefix(rel, pair.StateDirName+"/") || strings.HasPrefix(name, TempPrefix) {
		return true
	}
	return e.opts.Ignore != nil && e.opts.Ignore.Match(rel, isDir)
}

// walkLocal yields the files, symlinks and directories under scope in
// byte order of their paths (a directory as "dir/", before what it
// holds). A directory that cannot be read is added to unreadable and
// nothing below it is yielded, so that it is not taken for deleted.
func (e *Engine) walkLocal(scope string, unreadable *[]string) iter.Seq2[*local, error] {
	return func(yield func(*local, error) bool) {
		if scope == "" {
			if _, err := os.Stat(e.root); err != nil {
				yield(nil, fmt.Errorf("local folder: %w", err))
				return
			}
			e.walkDir("", unreadable, yield)
			return
		}
		fi, err := os.Lstat(join(e.root, scope))
		switch {
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
			return
		case err != nil:
			*unreadable = append(*unreadable, scope)
			e.warn("cannot read", scope, err)
		case fi.IsDir():
			if !e.skipped(scope, true) {
				e.walkDir(scope, unreadable, yield)
			}
		default:
			e.yieldFile(scope, fi, yield)
		}
	}
}

// walkDir yields the directory rel (but not the folder itself), then
// what is below it in byte order: the entries of a directory are sorted
// with "/" after each subdirectory's name, as the full paths sort.
func (e *Engine) walkDir(rel string, unreadable *[]string, yield func(*local, error) bool) bool {
	des, err := os.ReadDir(join(e.root, rel))
	if err != nil {
		*unreadable = append(*unreadable, rel)
		e.warn("cannot read directory", rel, err)
		return true
	}
	sortKey := func(d fs.DirEntry) string {
		if d.IsDir() {
			return d.Name() + "/"
		}
		return d.Name()
	}
	des = slices.DeleteFunc(des, func(d fs.DirEntry) bool { return e.skipped(path.Join(rel, d.Name()), d.IsDir()) })
	slices.SortFunc(des, func(a, b fs.DirEntry) int { return cmp.Compare(sortKey(a), sortKey(b)) })
	if rel != "" && !e.yieldDir(rel, !slices.ContainsFunc(des, carried), unreadable, yield) {
		return false
	}
	for _, d := range des {
		child := path.Join(rel, d.Name())
		if d.IsDir() {
			if !e.walkDir(child, unreadable, yield) {
				return false
			}
			continue
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			*unreadable = append(*unreadable, child)
			e.warn("cannot stat", child, err)
			continue
		}
		if !e.yieldFile(child, fi, yield) {
			return false
		}
	}
	return true
}

// carried tells whether the sync carries a directory entry: a file, a
// symlink or a directory (not a device, socket or pipe).
func carried(d fs.DirEntry) bool {
	t := d.Type()
	return t.IsDir() || t.IsRegular() || t&fs.ModeSymlink != 0
}

// yieldDir yields the directory rel as "rel/"; empty tells that it holds
// nothing the sync carries. Only an empty directory is stat'ed (the pass
// may keep it with a marker, or wait while it is new): the actions on a
// directory stat it again before they act, so a rescan of a tree of full
// directories costs no more than listing them.
func (e *Engine) yieldDir(rel string, empty bool, unreadable *[]string, yield func(*local, error) bool) bool {
	if !empty {
		return yield(&local{rel: rel + "/", mode: syscall.S_IFDIR, dir: true}, nil)
	}
	fi, err := os.Lstat(join(e.root, rel))
	if err != nil {
		*unreadable = append(*unreadable, rel)
		e.warn("cannot stat", rel, err)
		return true
	}
	l, err := newLocal(e.root, rel+"/", fi)
	if err != nil {
		e.warn("cannot read", rel, err)
		return true
	}
	l.size, l.dir, l.empty = 0, true, empty
	return yield(l, nil)
}

// yieldFile yields a regular file or symlink; other kinds are skipped.
func (e *Engine) yieldFile(rel string, fi fs.FileInfo, yield func(*local, error) bool) bool {
	if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
		e.warnOnce(rel, "skipping %s: not a regular file or symlink", rel)
		return true
	}
	l, err := newLocal(e.root, rel, fi)
	if err != nil {
		e.warn("cannot read", rel, err)
		return true
	}
	return yield(l, nil)
}

// listRemote yields the objects under scope in byte order of their keys,
// directory markers ("dir/") among them. Keys that cannot be local paths
// are skipped.
func (e *Engine) listRemote(ctx context.Context, scope string) iter.Seq2[*remote, error] {
	return func(yield func(*remote, error) bool) {
		opts := objstore.ListOptions{Prefix: e.pair.Prefix + scope}
		for {
			page, err := e.store.ListObjects(ctx, e.pair.Bucket, opts)
			if err != nil {
				yield(nil, fmt.Errorf("list %s: %w", e.pair.Remote(), err))
				return
			}
			for _, o := range page.Objects {
				rel, ok := e.pair.Rel(o.Key)
				if !ok || !under(rel, scope) {
					continue
				}
				name, dir := strings.CutSuffix(rel, "/")
				if !e.localName(name, dir) {
					continue
				}
				if !yield(&remote{rel: rel, key: o.Key, size: o.Size, etag: o.ETag, modified: o.LastModified}, nil) {
					return
				}
			}
			if !page.IsTruncated {
				return
			}
			opts.ContinuationToken = page.NextContinuationToken
		}
	}
}

// localName tells whether rel (a directory when dir) can be a path in
// the folder, warning once about a key that cannot.
func (e *Engine) localName(rel string, dir bool) bool {
	ok := utf8.ValidString(rel) && !strings.ContainsRune(rel, 0)
	for seg := range strings.SplitSeq(rel, "/") {
		if seg == "" || seg == "." || seg == ".." || len(seg) > 255 {
			ok = false
		}
	}
	if ok && e.skipped(rel, dir) {
		return false
	}
	if !ok {
		e.warnOnce(rel, "skipping object %q: its key cannot be a local path", e.pair.Prefix+rel)
	}
	return ok
}
