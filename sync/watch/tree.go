package watch

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// abs returns the file system path of rel.
func (w *Watcher) abs(rel string) string {
	if rel == "" {
		return w.root
	}
	return filepath.Join(w.root, filepath.FromSlash(rel))
}

// rel returns the root-relative slash path of an event's name, and false
// for a name outside the root.
func (w *Watcher) rel(name string) (string, bool) {
	if name == w.root {
		return "", true
	}
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == ".." || len(r) > 2 && r[:3] == ".."+string(filepath.Separator) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// ignored applies Options.Ignore.
func (w *Watcher) ignored(rel string, isDir bool) bool {
	return rel != "" && w.opts.Ignore != nil && w.opts.Ignore(rel, isDir)
}

// watchTree watches directory rel and every directory below it that is
// not ignored. The watch on a directory is in place before it is listed,
// so an entry created meanwhile is either listed or has an event. With
// report set, every entry found is reported as changed. The error is that
// of watching rel itself; trouble below it is logged.
func (w *Watcher) watchTree(rel string, report bool) error {
	if err := w.watchDir(rel); err != nil {
		return err
	}
	entries, err := os.ReadDir(w.abs(rel))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, unix.ENOTDIR) {
			w.log.Warn("cannot list directory; its changes are not seen", "dir", w.abs(rel), "err", err)
		}
		return nil
	}
	for _, e := range entries {
		child := path.Join(rel, e.Name())
		isDir := e.IsDir()
		if w.ignored(child, isDir) {
			continue
		}
		if report {
			w.touch(child)
		}
		if isDir {
			_ = w.watchTree(child, report) // handled by watchDir
		}
	}
	return nil
}

// errLimited reports a watch not added because the watch limit was hit.
var errLimited = errors.New("inotify watch limit reached")

// watchDir adds an inotify watch on directory rel, and deals with a
// failure: a directory that has vanished meanwhile is skipped quietly (its
// removal has an event), the watch limit switches to polling, anything
// else is logged.
func (w *Watcher) watchDir(rel string) error {
	if w.limited {
		return errLimited
	}
	err := w.add(w.abs(rel))
	switch {
	case err == nil:
		w.dirs.add(rel)
		return nil
	case errors.Is(err, unix.ENOSPC):
		w.hitLimit(rel)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, unix.ENOTDIR):
	case errors.Is(err, fs.ErrPermission):
		w.log.Warn("cannot watch directory; its changes are not seen", "dir", w.abs(rel), "err", err)
	default:
		w.log.Error("cannot watch directory; rescanning", "dir", w.abs(rel), "err", err)
		w.rescan = true
	}
	return err
}

// hitLimit switches to periodic rescans once the inotify watch limit is
// exhausted.
func (w *Watcher) hitLimit(rel string) {
	w.limited = true
	w.rescan = true
	if w.limitWarned {
		return
	}
	w.limitWarned = true
	w.log.Warn("inotify watch limit reached: changes are found by a full rescan every poll interval; "+
		"raise it with sysctl fs.inotify.max_user_watches (for example sysctl -w fs.inotify.max_user_watches=1048576)",
		"root", w.root, "dir", w.abs(rel), "watched", w.dirs.len(), "poll", w.opts.PollInterval)
}

// dropTree removes the watches on rel and every directory below it.
func (w *Watcher) dropTree(rel string) {
	for _, d := range w.dirs.removeTree(rel) {
		// The kernel drops the watch of a deleted directory by itself, so
		// an error here only means it is gone already.
		_ = w.fsw.Remove(w.abs(d))
	}
}
