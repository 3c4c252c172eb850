package history

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
)

// prune plans the removal of what is under the restored tree locally but
// did not exist then: files and links not restored, and directories that
// held nothing restored. Unfinished restore files and the protected
// entries are left alone.
func (lp *localPlanner) prune() error {
	start := lp.t.Path
	fi, ok := lp.lstat(start)
	if !ok {
		return nil
	}
	if !lp.parentsReal(start) {
		return fmt.Errorf("%s: a folder above it is a symbolic link or a file; restore it elsewhere with --to", start)
	}
	if !fi.IsDir() {
		lp.removes = append(lp.removes, Step{Op: OpRemove, Path: start})
		return nil
	}
	err := fs.WalkDir(lp.root.FS(), osPath(start), func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		p := name
		if p == "." {
			p = ""
		}
		switch {
		case p == start:
			return nil
		case slices.Contains(lp.t.Protect, firstSegment(p)) || IsTemp(d.Name()):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			if !lp.wantDirs[p] {
				lp.rmdirs = append(lp.rmdirs, Step{Op: OpRemoveDir, Path: p})
			}
		case !lp.wantFiles[p]:
			fi, err := d.Info()
			if err != nil {
				return err
			}
			return lp.removeFile(p, fi)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", start, err)
	}
	return nil
}
