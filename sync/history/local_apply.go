package history

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// localApplier carries out the steps of a restore into a local directory,
// through an os.Root so that nothing is written outside it.
type localApplier struct {
	st     objstore.Store
	bucket string
	root   *os.Root
	opts   transfer.Options
	// mu guards dirs, the restored directories whose mode and mtime
	// are set last, deepest first, once nothing more is written into them.
	mu   sync.Mutex
	dirs []dirAttrs
}

// dirAttrs are the attributes a restored directory gets at the end.
type dirAttrs struct {
	path  string
	attrs fsmeta.Attrs
}

// openLocal opens the plan's root directory, creating it if need be.
func openLocal(st objstore.Store, p *Plan, opts transfer.Options) (*localApplier, error) {
	if err := os.MkdirAll(p.Root, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", p.Root, err)
	}
	root, err := os.OpenRoot(p.Root)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p.Root, err)
	}
	if opts.Progress == nil {
		opts.Progress = func(int64) {}
	}
	return &localApplier{st: st, bucket: p.Bucket, root: root, opts: opts}, nil
}

func (la *localApplier) close() { la.root.Close() }

func (la *localApplier) apply(ctx context.Context, s Step) error {
	switch s.Op {
	case OpWrite:
		return la.write(ctx, s)
	case OpMkdir, OpSame:
		if s.Op == OpMkdir || isDirKey(s.Key) {
			return la.mkdir(ctx, s)
		}
		return la.same(ctx, s)
	case OpRemove:
		return la.remove(s.Path)
	case OpRemoveDir:
		return la.rmdir(s.Path)
	}
	return nil
}

// write brings back the version of s at its path: a file, a symbolic
// link or a directory, as the version's mode says.
func (la *localApplier) write(ctx context.Context, s Step) error {
	if err := la.ensureParents(s.Path); err != nil {
		return err
	}
	obj, err := la.st.GetObject(ctx, la.bucket, s.Key, objstore.GetOptions{VersionID: s.Version.VersionID})
	if err != nil {
		return fmt.Errorf("get %s version %s: %w", s.Key, s.Version.VersionID, err)
	}
	defer obj.Body.Close()
	attrs := fsmeta.Parse(obj.Info.UserMetadata)
	switch {
	case attrs.IsLink():
		target, err := io.ReadAll(io.LimitReader(obj.Body, maxLinkTarget+1))
		if err != nil {
			return fmt.Errorf("get %s: %w", s.Key, err)
		}
		if len(target) == 0 || len(target) > maxLinkTarget {
			return fmt.Errorf("%s: a symbolic link target of %d bytes", s.Key, len(target))
		}
		return la.writeLink(s.Path, string(target), attrs, obj.Info)
	case attrs.IsDir():
		return la.mkdir(ctx, s)
	}
	return la.writeFile(ctx, s, obj, attrs)
}

// writeFile writes the object's data to a temporary file beside the
// step's path, syncs it, sets its mode and mtime and renames it into
// place. A large object is fetched again in parallel ranges.
func (la *localApplier) writeFile(ctx context.Context, s Step, obj *objstore.Object, attrs fsmeta.Attrs) (err error) {
	tmp := la.tempName(s.Path)
	f, err := la.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			la.root.Remove(tmp)
		}
	}()
	if err := la.fill(ctx, s, obj, f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	perm, ok := attrs.Perm()
	if !ok {
		perm = 0o644
	}
	if err := la.setAttrs(tmp, perm, attrs, obj.Info.LastModified); err != nil {
		return err
	}
	return la.rename(tmp, s.Path)
}

// fill writes the object's data to f: from the open body, or for a
// large object with parallel range reads.
func (la *localApplier) fill(ctx context.Context, s Step, obj *objstore.Object, f *os.File) error {
	threshold := la.opts.Threshold
	if threshold <= 0 {
		threshold = transfer.DefaultThreshold
	}
	if obj.Info.Size >= threshold {
		obj.Body.Close()
		opts := la.opts
		opts.VersionID = obj.Info.VersionID
		_, err := transfer.DownloadAt(ctx, la.st, la.bucket, s.Key, f, opts)
		return err
	}
	n, err := io.Copy(f, &countingReader{r: obj.Body, progress: la.opts.Progress})
	if err != nil {
		return fmt.Errorf("get %s: %w", s.Key, err)
	}
	if n != obj.Length {
		return fmt.Errorf("get %s: got %d of %d bytes: %w", s.Key, n, obj.Length, objstore.ErrIncompleteBody)
	}
	return nil
}

// writeLink creates the symbolic link p to target, replacing whatever is
// at p (a link or file, never what a link points to).
func (la *localApplier) writeLink(p, target string, attrs fsmeta.Attrs, info objstore.ObjectInfo) error {
	tmp := la.tempName(p)
	if err := la.root.Symlink(target, tmp); err != nil {
		return fmt.Errorf("create link %s: %w", tmp, err)
	}
	if err := la.linkAttrs(tmp, attrs, info.LastModified); err != nil {
		la.root.Remove(tmp)
		return err
	}
	return la.rename(tmp, p)
}

// mkdir makes the directory of a directory marker, if missing, and
// records its attributes to set at the end.
func (la *localApplier) mkdir(ctx context.Context, s Step) error {
	if err := la.ensureParents(s.Path); err != nil {
		return err
	}
	name := osPath(s.Path)
	fi, err := la.root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := la.root.Mkdir(name, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: %w", s.Path, err)
		}
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s: %w", s.Path, syscall.ENOTDIR)
	}
	if s.Path == "" {
		return nil // the root is the user's directory: its attributes stay
	}
	meta, err := la.metadata(ctx, s)
	if err != nil {
		return err
	}
	la.mu.Lock()
	la.dirs = append(la.dirs, dirAttrs{path: s.Path, attrs: fsmeta.Parse(meta)})
	la.mu.Unlock()
	return nil
}

// same sets again the mode and mtime of a file or link whose content is
// already the version's. Should the version be a link where the file is
// not (or the other way round), it is written instead.
func (la *localApplier) same(ctx context.Context, s Step) error {
	meta, err := la.metadata(ctx, s)
	if err != nil {
		return err
	}
	attrs := fsmeta.Parse(meta)
	fi, err := la.root.Lstat(s.Path)
	if err != nil {
		return err
	}
	isLink := fi.Mode()&fs.ModeSymlink != 0
	if isLink != attrs.IsLink() {
		return la.write(ctx, s)
	}
	if isLink {
		return la.linkAttrs(s.Path, attrs, s.Version.LastModified)
	}
	perm, ok := attrs.Perm()
	if !ok {
		perm = fi.Mode().Perm()
	}
	return la.setAttrs(s.Path, perm, attrs, s.Version.LastModified)
}

// metadata returns the user metadata of the step's version, asking the
// store when the listing did not carry it.
func (la *localApplier) metadata(ctx context.Context, s Step) (map[string]string, error) {
	if s.Version.UserMetadata != nil {
		return s.Version.UserMetadata, nil
	}
	info, err := la.st.HeadObject(ctx, la.bucket, s.Key, objstore.GetOptions{VersionID: s.Version.VersionID})
	if err != nil {
		return nil, fmt.Errorf("head %s version %s: %w", s.Key, s.Version.VersionID, err)
	}
	return info.UserMetadata, nil
}

// remove removes a file or link (never what a link points to).
func (la *localApplier) remove(p string) error {
	if err := la.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}

// rmdir removes a directory if it is empty; errKept if it is not.
func (la *localApplier) rmdir(p string) error {
	err := la.root.Remove(p)
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, syscall.ENOTEMPTY), errors.Is(err, syscall.EEXIST):
		return errKept
	}
	return fmt.Errorf("remove %s: %w", p, err)
}
