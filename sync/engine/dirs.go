package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
)

// Directories are entries of their own, "dir/", sorted just before what
// they hold. A directory that holds files exists on the remote side as
// the prefix of their keys and needs nothing more; one that would
// otherwise be lost, because nothing stays below it, is kept by a marker:
// the zero-byte object "dir/" with the directory's attributes, as the
// mount and s3fs write it. A directory is decided after everything below
// it, so that the pass knows whether anything stays below it remotely.

// openDir is a directory of the stream whose contents are still being
// decided.
type openDir struct {
	en entry
	// below tells that something stays below the directory remotely
	// after the pass (its own marker aside).
	below bool
}

// planScope merges the three sides of scope and decides each path, every
// directory after what it holds.
func (e *Engine) planScope(ctx context.Context, p *plan, scope string) error {
	var (
		unreadable []string
		open       []*openDir
	)
	for en, err := range merge(e.walkLocal(scope, &unreadable), e.db.Records(scope), e.listRemote(ctx, scope)) {
		if err != nil {
			return err
		}
		if open, err = e.closeDirs(ctx, p, open, en.rel, unreadable); err != nil {
			return err
		}
		if en.isDir() {
			open = append(open, &openDir{en: en})
			continue
		}
		stays, err := e.decide(ctx, p, en, false, unreadable)
		if err != nil {
			return err
		}
		if stays {
			for _, d := range open {
				d.below = true
			}
		}
	}
	_, err := e.closeDirs(ctx, p, open, "", unreadable)
	return err
}

// closeDirs decides the open directories that do not hold rel (all of
// them for ""), innermost first, and returns those still open. A
// directory that stays remotely counts as something below its parent.
func (e *Engine) closeDirs(ctx context.Context, p *plan, open []*openDir, rel string, unreadable []string) ([]*openDir, error) {
	for n := len(open); n > 0; n-- {
		d := open[n-1]
		if rel != "" && strings.HasPrefix(rel, d.en.rel) {
			break
		}
		stays, err := e.decide(ctx, p, d.en, d.below, unreadable)
		if err != nil {
			return nil, err
		}
		open = open[:n-1]
		if (stays || d.below) && n > 1 {
			open[n-2].below = true
		}
	}
	return open, nil
}

// decideDir is the three-way compare of a directory; below tells whether
// something stays below it remotely after the pass. A local directory
// that holds nothing the sync carries, with nothing below it remotely,
// gets a marker; a marker without a local directory becomes one (two-way
// only); a marker seen on both sides is recorded, so that removing the
// directory on one side later removes it on the other: the marker is
// deleted, or the local directory removed if it is still empty. A mode
// changed on one side since the record is carried to the other.
func (e *Engine) decideDir(en entry, below bool) (Kind, error) {
	l, r, s := en.l, en.r, en.s
	need := l != nil && l.empty && !below
	backup := e.opts.Mode == Backup
	switch {
	case l != nil && r != nil:
		if s == nil {
			return Record, nil
		}
		return e.dirMeta(en)
	case l != nil:
		switch {
		case need && (s == nil || backup):
			return Upload, nil
		case s != nil && (backup || below):
			return Forget, nil
		case s != nil:
			return DeleteLocal, nil
		}
	case r != nil:
		switch {
		case s != nil:
			return DeleteRemote, nil
		case !backup:
			return Download, nil
		}
	case s != nil:
		return Forget, nil
	}
	return 0, nil
}

// dirMeta decides for a directory both sides have and the record knows:
// its local mode changed (UpdateMeta: the marker is written again), or
// its marker was rewritten (PullMeta, two-way only), or the marker's
// LastModified is seen for the first time (Adopt).
func (e *Engine) dirMeta(en entry) (Kind, error) {
	if en.l.mtime == 0 { // a full directory is not stat'ed by the walk
		l, err := e.lstatDir(en.rel)
		if err != nil || l == nil {
			return 0, err
		}
		en.l.mode, en.l.mtime = l.mode, l.mtime
	}
	localMeta := en.l.mode != en.s.Mode
	if e.opts.Mode == Backup {
		if localMeta {
			return UpdateMeta, nil
		}
		return 0, nil
	}
	return remoteMeta(en.r, en.s, localMeta), nil
}

// runDir carries out an action on a directory.
func (e *Engine) runDir(ctx context.Context, a Action) error {
	switch a.Kind {
	case Upload:
		return e.doPutMarker(ctx, a.e)
	case Download:
		return e.doMakeDir(ctx, a.e)
	case DeleteRemote:
		return e.doDeleteMarker(ctx, a.e)
	case DeleteLocal:
		return e.doRemoveDir(a.e, a.keep)
	case Record:
		return e.doRecordDir(a.e)
	case Forget:
		return e.db.Delete(a.Rel)
	case UpdateMeta:
		return e.doPutMarker(ctx, a.e)
	case PullMeta:
		return e.doPullDirMeta(ctx, a.e)
	case Adopt:
		return e.doAdopt(a.e)
	}
	return fmt.Errorf("cannot %s directory %s", a.Kind, a.Rel)
}

// markerKey is the key of the marker of the directory rel ("dir/").
func (e *Engine) markerKey(rel string) string { return e.pair.Key(rel) + "/" }

// lstatDir describes the local directory rel ("dir/") now; nil when
// there is none (nothing, or something else).
func (e *Engine) lstatDir(rel string) (*local, error) {
	fi, err := os.Lstat(join(e.root, rel))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || err == nil && !fi.IsDir() {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", rel, err)
	}
	l, err := newLocal(e.root, rel, fi)
	if err != nil {
		return nil, err
	}
	l.size, l.dir = 0, true
	return l, nil
}

// existingDir returns the local directory rel, failing with errChanged
// when it is gone.
func (e *Engine) existingDir(rel string) (*local, error) {
	l, err := e.lstatDir(rel)
	if err == nil && l == nil {
		err = fmt.Errorf("%s: %w", rel, errChanged)
	}
	return l, err
}

// doPutMarker writes the marker of a local directory with its
// attributes, then records it: for an empty directory, to keep it
// remotely, or for one whose mode changed. In two-way mode the write is
// conditional on the remote being what the pass saw.
func (e *Engine) doPutMarker(ctx context.Context, en entry) error {
	l, err := e.existingDir(en.rel)
	if err != nil {
		return err
	}
	po := objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{ContentType: fsmeta.DirContentType, UserMetadata: attrsOf(l).Metadata()}}
	if e.opts.Mode == TwoWay {
		if en.r == nil {
			po.IfNoneMatch = "*"
		} else {
			po.IfMatch = en.r.etag
		}
	}
	key := e.markerKey(en.rel)
	info, err := e.store.PutObject(ctx, e.pair.Bucket, key, bytes.NewReader(nil), po)
	if errors.Is(err, objstore.ErrPreconditionFailed) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", key, errChanged)
	}
	if err != nil {
		return fmt.Errorf("put marker %s: %w", key, err)
	}
	return e.db.Put(en.rel, l.record(info.ETag, info.VersionID))
}

// doMakeDir makes the local directory of a marker, with the marker's
// mode, owner (when run as root) and mtime, and records it.
func (e *Engine) doMakeDir(ctx context.Context, en entry) error {
	info, err := e.store.HeadObject(ctx, e.pair.Bucket, en.r.key, objstore.GetOptions{})
	if errors.Is(err, objstore.ErrNoSuchKey) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", en.r.key, errChanged)
	}
	if err != nil {
		return fmt.Errorf("head %s: %w", en.r.key, err)
	}
	dst := join(e.root, en.rel)
	if fi, err := os.Lstat(dst); err == nil && !fi.IsDir() {
		return fmt.Errorf("create directory %s: a file is in the way", en.rel)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("create directory %s: %w", en.rel, err)
	}
	if err := setDirAttrs(dst, fsmeta.Parse(info.UserMetadata), info.LastModified); err != nil {
		return fmt.Errorf("create directory %s: %w", en.rel, err)
	}
	l, err := e.existingDir(en.rel)
	if err != nil {
		return err
	}
	rec := l.record(info.ETag, info.VersionID)
	rec.Modified = en.r.modified.UnixMilli()
	return e.db.Put(en.rel, rec)
}

// doPullDirMeta gives the local directory the mode and mtime its marker
// now records, if its mode is still the recorded one.
func (e *Engine) doPullDirMeta(ctx context.Context, en entry) error {
	info, err := e.store.HeadObject(ctx, e.pair.Bucket, en.r.key, objstore.GetOptions{})
	if errors.Is(err, objstore.ErrNoSuchKey) {
		return fmt.Errorf("%s changed remotely meanwhile: %w", en.r.key, errChanged)
	}
	if err != nil {
		return fmt.Errorf("head %s: %w", en.r.key, err)
	}
	l, err := e.existingDir(en.rel)
	if err != nil {
		return err
	}
	if l.mode != en.s.Mode {
		return fmt.Errorf("%s: %w", en.rel, errChanged)
	}
	if err := setDirAttrs(join(e.root, en.rel), fsmeta.Parse(info.UserMetadata), info.LastModified); err != nil {
		return fmt.Errorf("set attributes of %s: %w", en.rel, err)
	}
	if l, err = e.existingDir(en.rel); err != nil {
		return err
	}
	rec := l.record(info.ETag, info.VersionID)
	rec.Modified = en.r.modified.UnixMilli()
	return e.db.Put(en.rel, rec)
}

// doDeleteMarker deletes the marker of a directory removed locally (a
// delete marker on a versioned bucket), if the directory is still gone.
func (e *Engine) doDeleteMarker(ctx context.Context, en entry) error {
	l, err := e.lstatDir(en.rel)
	if err != nil {
		return err
	}
	if l != nil {
		return fmt.Errorf("%s: %w", en.rel, errChanged)
	}
	if err := e.deleteUnchanged(ctx, en.r.key, en.s.ETag); err != nil {
		return err
	}
	return e.db.Delete(en.rel)
}

// doRemoveDir removes a local directory whose marker was deleted
// remotely, only if it is empty (holding nothing at all, ignored files
// included), and the directories that leaves empty, up to one in keep.
func (e *Engine) doRemoveDir(en entry, keep map[string]bool) error {
	name := strings.TrimSuffix(en.rel, "/")
	err := syscall.Rmdir(join(e.root, name))
	switch {
	case err == nil:
		e.removeEmptyParents(name, keep)
	case errors.Is(err, syscall.ENOTEMPTY), errors.Is(err, syscall.EEXIST):
		e.opts.Logger.Debug("directory deleted remotely kept: it is not empty", "path", en.rel)
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("remove directory %s: %w", en.rel, err)
	}
	return e.db.Delete(en.rel)
}

// doRecordDir records a directory both sides have, with its marker.
func (e *Engine) doRecordDir(en entry) error {
	l, err := e.existingDir(en.rel)
	if err != nil {
		return err
	}
	rec := l.record(en.r.etag, "")
	rec.Modified = en.r.modified.UnixMilli()
	return e.db.Put(en.rel, rec)
}

// widen replaces each changed path that is gone locally by its nearest
// directory still there, other than the folder itself, when that
// directory holds nothing the sync carries any more: what was removed
// may have left it empty, which is decided with all it holds. Where the
// directory still holds something it needs no marker, and the path is
// widened only to the outermost directory removed with it (whose own
// entry is then decided), so that deleting a file from a large directory
// does not cost a pass over all of it.
func (e *Engine) widen(paths []string) []string {
	out := slices.Clone(paths)
	for i, top := range out {
		if !e.gone(top) {
			continue
		}
		for {
			parent := path.Dir(top)
			if parent == "." || parent == "/" {
				break
			}
			if !e.gone(parent) {
				if !e.holdsAny(parent) {
					top = parent
				}
				break
			}
			top = parent
		}
		out[i] = top
	}
	return out
}

// holdsAny tells whether the local directory rel holds something the
// sync carries (a directory counts); one that cannot be read holds
// nothing here, and the pass over it finds it unreadable.
func (e *Engine) holdsAny(rel string) bool {
	f, err := os.Open(join(e.root, rel))
	if err != nil {
		return false
	}
	defer f.Close()
	for {
		des, err := f.ReadDir(64)
		for _, d := range des {
			if !e.skipped(path.Join(rel, d.Name()), d.IsDir()) {
				return true
			}
		}
		if err != nil {
			return false
		}
	}
}

// gone tells whether nothing is at the local path rel.
func (e *Engine) gone(rel string) bool {
	_, err := os.Lstat(join(e.root, rel))
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
