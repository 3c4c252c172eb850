package history

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// maxLinkTarget is the longest symbolic link target a restore reads.
const maxLinkTarget = 4096

// LocalTarget is where a restore into a local directory writes.
type LocalTarget struct {
	// Root is the directory nothing is written outside of.
	Root string
	// Path is the slash-separated path under Root of the restored file,
	// or of the restored tree ("" for Root itself).
	Path string
	// Prune removes what is under a restored tree, or at a restored
	// file's path, that did not exist then: a restore into place. It is
	// off for a restore elsewhere, and Request.KeepNewer overrides it.
	Prune bool
	// Protect names entries at the top of Root that a restore never
	// writes or removes, such as the sync's state directory.
	Protect []string
}

// localPlanner works out a restore into a local directory.
type localPlanner struct {
	ctx  context.Context
	st   objstore.ObjectStore
	req  Request
	t    LocalTarget
	root *os.Root // nil while Root does not exist
	// steps are the mkdir, write and unchanged steps in key order;
	// skips and removes come before them in the plan.
	steps, skips, removes, rmdirs []Step
	wantFiles, wantDirs           map[string]bool
	// realDir caches which local paths are directories, not links.
	realDir map[string]bool
}

// PlanLocal works out the restore of req into the local target t,
// reading the local files to leave alone those that already hold the
// version restored. Nothing is changed; Apply does it.
func PlanLocal(ctx context.Context, st objstore.ObjectStore, req Request, t LocalTarget) (*Plan, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	lp := &localPlanner{ctx: ctx, st: st, req: req, t: t,
		wantFiles: map[string]bool{}, wantDirs: map[string]bool{}, realDir: map[string]bool{}}
	root, err := os.OpenRoot(t.Root)
	switch {
	case err == nil:
		lp.root = root
		defer root.Close()
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open %s: %w", t.Root, err)
	}
	for ks, err := range req.states(ctx, st) {
		if err != nil {
			return nil, err
		}
		if err := lp.add(ks); err != nil {
			return nil, err
		}
	}
	lp.resolveConflicts()
	if req.Tree && t.Prune && !req.KeepNewer {
		if err := lp.prune(); err != nil {
			return nil, err
		}
	}
	slices.Reverse(lp.rmdirs)
	steps := slices.Concat(lp.skips, lp.removes, lp.rmdirs, lp.steps)
	return &Plan{Bucket: req.Bucket, Root: t.Root, Steps: steps}, nil
}

// add plans one key.
func (lp *localPlanner) add(ks KeyState) error {
	if !lp.req.Tree {
		return lp.addFile(ks)
	}
	if ks.Then == nil {
		return nil // nothing to bring back; pruning removes what is local
	}
	p, isDir, err := relPath(lp.t.Path, ks.Key[len(lp.req.Key):])
	if err != nil {
		lp.skip(ks, err.Error())
		return nil
	}
	if slices.Contains(lp.t.Protect, firstSegment(p)) {
		lp.skip(ks, "its path is kept for cairn's own state")
		return nil
	}
	lp.want(p, isDir)
	lp.steps = append(lp.steps, lp.compare(p, isDir, *ks.Then))
	return nil
}

// addFile plans the restore of one file at the target's path.
func (lp *localPlanner) addFile(ks KeyState) error {
	p := lp.t.Path
	if ks.Then != nil {
		lp.want(p, false)
		lp.steps = append(lp.steps, lp.compare(p, false, *ks.Then))
		return nil
	}
	if !lp.t.Prune {
		return lp.req.missing()
	}
	if fi, ok := lp.lstat(p); ok && !fi.IsDir() && !lp.req.KeepNewer {
		return lp.removeFile(p, fi)
	}
	return nil
}

// removeFile plans the removal of the local file or link p, which did
// not exist then, if its content is safe in the bucket's history: some
// version of its key holds it. Anything else (never synced, or changed
// since it last was) is kept, with a warning.
func (lp *localPlanner) removeFile(p string, fi fs.FileInfo) error {
	key := lp.keyOf(p)
	known := false
	for v, err := range Versions(lp.ctx, lp.st, lp.req.Bucket, key) {
		if err != nil {
			return err
		}
		known = true
		if !v.DeleteMarker && lp.holds(p, fi, v) {
			lp.removes = append(lp.removes, Step{Op: OpRemove, Key: key, Path: p, Version: v})
			return nil
		}
	}
	reason := "it did not exist then, but is not in the bucket's history either (not synced yet?); kept"
	if known {
		reason = "it did not exist then, but has changed since it was last synced; kept"
	}
	lp.skips = append(lp.skips, Step{Op: OpSkip, Key: key, Path: p, Reason: reason})
	return nil
}

// keyOf is the key of the local path p under the restored tree or file.
func (lp *localPlanner) keyOf(p string) string {
	if !lp.req.Tree {
		return lp.req.Key
	}
	rel := p
	if lp.t.Path != "" {
		rel = strings.TrimPrefix(strings.TrimPrefix(p, lp.t.Path), "/")
	}
	return lp.req.Key + rel
}

// holds tells whether the local file or link p holds version v.
func (lp *localPlanner) holds(p string, fi fs.FileInfo, v objstore.ObjectInfo) bool {
	switch {
	case !lp.parentsReal(p):
		return false
	case fi.Mode().IsRegular():
		return fi.Size() == v.Size && lp.sameFile(p, v)
	case fi.Mode()&fs.ModeSymlink != 0 && v.Size <= maxLinkTarget:
		return lp.sameLink(p, v)
	}
	return false
}

// skip plans to leave a key alone, saying why.
func (lp *localPlanner) skip(ks KeyState, reason string) {
	lp.skips = append(lp.skips, Step{Op: OpSkip, Key: ks.Key, Reason: reason})
}

// want records that the restored state has p, and directories above it.
func (lp *localPlanner) want(p string, isDir bool) {
	if isDir {
		lp.wantDirs[p] = true
	} else {
		lp.wantFiles[p] = true
	}
	for _, d := range parents(p) {
		lp.wantDirs[d] = true
	}
}

// compare plans the write of version v to p, or nothing when p already
// holds it.
func (lp *localPlanner) compare(p string, isDir bool, v objstore.ObjectInfo) Step {
	s := Step{Op: OpWrite, Key: v.Key, Path: p, Version: v}
	if isDir {
		s.Op = OpMkdir
	}
	fi, ok := lp.lstat(p)
	if !ok || !lp.parentsReal(p) {
		return s
	}
	switch {
	case isDir && fi.IsDir():
		s.Op = OpSame
	case !isDir && lp.holds(p, fi, v):
		s.Op = OpSame
	}
	return s
}

// lstat reports the local path p, if it exists.
func (lp *localPlanner) lstat(p string) (fs.FileInfo, bool) {
	if lp.root == nil {
		return nil, false
	}
	fi, err := lp.root.Lstat(osPath(p))
	return fi, err == nil
}

// parentsReal tells whether every directory above p, up to Root, is a
// real directory rather than a symbolic link or a file.
func (lp *localPlanner) parentsReal(p string) bool {
	for _, d := range parents(p) {
		ok, known := lp.realDir[d]
		if !known {
			fi, found := lp.lstat(d)
			ok = found && fi.IsDir()
			lp.realDir[d] = ok
		}
		if !ok {
			return false
		}
	}
	return true
}

// sameFile tells whether the regular file p holds v's data.
func (lp *localPlanner) sameFile(p string, v objstore.ObjectInfo) bool {
	f, err := lp.root.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	same, err := sameContent(f, v.Size, v.ETag)
	return err == nil && same
}

// sameLink tells whether the link p points where the link version v
// does.
func (lp *localPlanner) sameLink(p string, v objstore.ObjectInfo) bool {
	if v.Size > maxLinkTarget {
		return false
	}
	target, err := lp.root.Readlink(p)
	if err != nil || int64(len(target)) != v.Size {
		return false
	}
	sum := md5.Sum([]byte(target))
	return hex.EncodeToString(sum[:]) == v.ETag
}

// resolveConflicts skips a file whose path was also a directory then (a
// key "a" beside keys "a/..."): the directory wins, as in the mount.
func (lp *localPlanner) resolveConflicts() {
	for i, s := range lp.steps {
		if isDirKey(s.Key) || !lp.wantDirs[s.Path] {
			continue
		}
		delete(lp.wantFiles, s.Path)
		lp.steps[i] = Step{Op: OpSkip, Key: s.Key, Path: s.Path,
			Reason: "it was both a file and a folder then; the folder is restored"}
	}
}

// isDirKey tells whether a key is a directory marker.
func isDirKey(key string) bool { return len(key) > 0 && key[len(key)-1] == '/' }
