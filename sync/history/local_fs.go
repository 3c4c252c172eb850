package history

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore/fsmeta"
)

// finishDirs sets the mode and mtime of the restored directories,
// deepest first.
func (la *localApplier) finishDirs() {
	slices.SortFunc(la.dirs, func(a, b dirAttrs) int { return strings.Compare(a.path, b.path) })
	for i := len(la.dirs) - 1; i >= 0; i-- {
		d := la.dirs[i]
		name := osPath(d.path)
		if perm, ok := d.attrs.Perm(); ok {
			la.root.Chmod(name, perm)
		}
		if !d.attrs.Mtime.IsZero() {
			la.root.Chtimes(name, d.attrs.Mtime, d.attrs.Mtime)
		}
	}
}

// ensureParents creates the directories above p that are missing, and
// fails if one is a file or a symbolic link: a restore never writes
// through a link.
func (la *localApplier) ensureParents(p string) error {
	for _, d := range parents(p) {
		fi, err := la.root.Lstat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := la.root.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("create %s: %w", d, err)
			}
		case err != nil:
			return err
		case !fi.IsDir():
			return fmt.Errorf("%s is in the way of the folder that was there: %w", d, syscall.ENOTDIR)
		}
	}
	return nil
}

// setAttrs gives the file name its mode, its owner when running as root,
// and its mtime (the recorded one, else the version's time).
func (la *localApplier) setAttrs(name string, perm fs.FileMode, attrs fsmeta.Attrs, modified time.Time) error {
	if err := la.root.Chmod(name, perm); err != nil {
		return fmt.Errorf("chmod %s: %w", name, err)
	}
	if err := la.chown(name, attrs); err != nil {
		return err
	}
	mtime := mtimeOf(attrs, modified)
	if err := la.root.Chtimes(name, mtime, mtime); err != nil {
		return fmt.Errorf("set times of %s: %w", name, err)
	}
	return nil
}

// linkAttrs gives the link name its owner when running as root, and its
// mtime, without following it.
func (la *localApplier) linkAttrs(name string, attrs fsmeta.Attrs, modified time.Time) error {
	if err := la.chown(name, attrs); err != nil {
		return err
	}
	full := filepath.Join(la.root.Name(), filepath.FromSlash(name))
	if err := lutimes(full, mtimeOf(attrs, modified)); err != nil {
		return fmt.Errorf("set times of %s: %w", name, err)
	}
	return nil
}

// chown gives name, without following it, the recorded owner when
// cairn runs as root.
func (la *localApplier) chown(name string, attrs fsmeta.Attrs) error {
	if os.Geteuid() != 0 || !attrs.HasUID || !attrs.HasGID {
		return nil
	}
	if err := la.root.Lchown(name, int(attrs.UID), int(attrs.GID)); err != nil {
		return fmt.Errorf("chown %s: %w", name, err)
	}
	return nil
}

// mtimeOf is the recorded mtime, else the version's time.
func mtimeOf(attrs fsmeta.Attrs, modified time.Time) time.Time {
	if !attrs.Mtime.IsZero() {
		return attrs.Mtime
	}
	return modified
}

// rename moves tmp onto p and syncs their directory.
func (la *localApplier) rename(tmp, p string) error {
	if err := la.root.Rename(tmp, p); err != nil {
		la.root.Remove(tmp)
		return fmt.Errorf("rename into %s: %w", p, err)
	}
	d, err := la.root.Open(osPath(dirOf(p)))
	if err != nil {
		return fmt.Errorf("sync directory of %s: %w", p, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory of %s: %w", p, err)
	}
	return nil
}

// tempName is a new temporary name beside p.
func (la *localApplier) tempName(p string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return joinRel(dirOf(p), tmpPrefix+hex.EncodeToString(b))
}

// dirOf is the directory of a slash path, "" for the root.
func dirOf(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}

// countingReader tells progress of each chunk read.
type countingReader struct {
	r        io.Reader
	progress func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.progress(int64(n))
	}
	return n, err
}
