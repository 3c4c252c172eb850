package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/state"
)

// maxLinkTarget bounds the target of a symlink stored as an object.
const maxLinkTarget = 4096

// doDownload writes the remote object of en into place: into a temporary
// file beside the target, with the recorded mode and mtime, fsynced, then
// renamed over the target if the target is still as the pass saw it.
func (e *Engine) doDownload(ctx context.Context, en entry) error {
	dst := join(e.root, en.rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("create directory of %s: %w", en.rel, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), TempPrefix+"*")
	if err != nil {
		return fmt.Errorf("download %s: %w", en.rel, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	opts := e.opts.Transfer
	opts.Progress = e.opts.Reporter.Moved
	info, err := transfer.DownloadAt(ctx, e.store, e.pair.Bucket, en.r.key, tmp, opts)
	if err != nil {
		return err
	}
	sha, err := fileSHA256(tmp)
	if err != nil {
		return fmt.Errorf("download %s: %w", en.rel, err)
	}
	if want := info.UserMetadata[shaMeta]; want != "" && want != sha {
		return fmt.Errorf("download %s: content does not match its stored SHA-256", en.rel)
	}
	attrs := fsmeta.Parse(info.UserMetadata)
	name, err := e.finishTemp(tmp, info, attrs)
	if err != nil {
		return fmt.Errorf("download %s: %w", en.rel, err)
	}
	defer os.Remove(name)
	// The record takes the file as it is before the rename, not after:
	// an edit made the instant it lands must look like one.
	rec, err := statRecord(name, sha, info)
	if err != nil {
		return fmt.Errorf("download %s: %w", en.rel, err)
	}
	rec.Modified = en.r.modified.UnixMilli()
	if err := e.unchangedLocal(en.rel, en.l); err != nil {
		return err
	}
	if err := os.Rename(name, dst); err != nil {
		return fmt.Errorf("download %s: %w", en.rel, err)
	}
	syncDir(filepath.Dir(dst))
	return e.db.Put(en.rel, rec)
}

// statRecord is the record of the downloaded file name, holding the
// version info with content hash sha.
func statRecord(name, sha string, info objstore.ObjectInfo) (state.Record, error) {
	fi, err := os.Lstat(name)
	if err != nil {
		return state.Record{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return state.Record{}, fmt.Errorf("stat %s: no file status", name)
	}
	return state.Record{Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), Mode: uint32(st.Mode),
		Hash: sha, ETag: info.ETag, VersionID: info.VersionID}, nil
}

// finishTemp gives the downloaded temp file its attributes and makes it
// durable; for a symlink it makes a link beside it instead. It returns
// the name to rename into place.
func (e *Engine) finishTemp(tmp *os.File, info objstore.ObjectInfo, attrs fsmeta.Attrs) (string, error) {
	mtime := info.LastModified
	if !attrs.Mtime.IsZero() {
		mtime = attrs.Mtime
	}
	if attrs.IsLink() {
		return makeLink(tmp, mtime)
	}
	if err := tmp.Chmod(remotePerm(attrs, 0o644)); err != nil {
		return "", err
	}
	if os.Getuid() == 0 && attrs.HasUID && attrs.HasGID {
		if err := tmp.Chown(int(attrs.UID), int(attrs.GID)); err != nil {
			return "", err
		}
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := os.Chtimes(tmp.Name(), mtime, mtime); err != nil {
		return "", err
	}
	return tmp.Name(), tmp.Close()
}

// remotePerm returns the permission bits a remote object records, or
// def when it records none; never set-id bits from a remote object.
func remotePerm(a fsmeta.Attrs, def fs.FileMode) fs.FileMode {
	if p, ok := a.Perm(); ok {
		return p &^ (fs.ModeSetuid | fs.ModeSetgid)
	}
	return def
}

// setDirAttrs gives the local directory name the mode, owner (when run
// as root) and mtime a marker records; the marker's LastModified stands
// in for an mtime it does not record.
func setDirAttrs(name string, a fsmeta.Attrs, modified time.Time) error {
	if err := os.Chmod(name, remotePerm(a, 0o755)); err != nil {
		return err
	}
	if os.Getuid() == 0 && a.HasUID && a.HasGID {
		if err := os.Lchown(name, int(a.UID), int(a.GID)); err != nil {
			return err
		}
	}
	if !a.Mtime.IsZero() {
		modified = a.Mtime
	}
	return os.Chtimes(name, modified, modified)
}

// makeLink creates, beside tmp, a symlink to the target tmp holds.
func makeLink(tmp *os.File, mtime time.Time) (string, error) {
	target, err := io.ReadAll(io.NewSectionReader(tmp, 0, maxLinkTarget+1))
	if err != nil {
		return "", err
	}
	if len(target) == 0 || len(target) > maxLinkTarget {
		return "", fmt.Errorf("symlink target of %d bytes", len(target))
	}
	name := tmp.Name() + "-link"
	if err := os.Symlink(string(target), name); err != nil {
		return "", err
	}
	lchtimes(name, mtime)
	return name, nil
}

// fileSHA256 returns the hex SHA-256 of f's content.
func fileSHA256(f *os.File) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<62)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// syncDir makes a rename in dir durable; failures only cost durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// doDeleteLocal removes a file deleted remotely, if it is still as
// recorded, and the directories that leaves empty, up to one in keep.
func (e *Engine) doDeleteLocal(en entry, keep map[string]bool) error {
	if err := e.unchangedLocal(en.rel, en.l); err != nil {
		return err
	}
	if !en.l.sameStat(en.s) {
		return fmt.Errorf("%s: %w", en.rel, errChanged)
	}
	if err := os.Remove(join(e.root, en.rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", en.rel, err)
	}
	e.removeEmptyParents(en.rel, keep)
	return e.db.Delete(en.rel)
}

// doRenameLocal renames a local file the way its object was renamed, and
// removes the directories that leaves empty, up to one in keep.
func (e *Engine) doRenameLocal(from, to entry, keep map[string]bool) error {
	if err := e.unchangedLocal(from.rel, from.l); err != nil {
		return err
	}
	if err := e.unchangedLocal(to.rel, nil); err != nil {
		return err
	}
	dst := join(e.root, to.rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("create directory of %s: %w", to.rel, err)
	}
	if err := os.Rename(join(e.root, from.rel), dst); err != nil {
		return fmt.Errorf("rename %s to %s: %w", from.rel, to.rel, err)
	}
	rec := *from.s
	rec.ETag, rec.VersionID, rec.Modified = to.r.etag, "", to.r.modified.UnixMilli()
	if err := e.db.Put(to.rel, rec); err != nil {
		return err
	}
	e.removeEmptyParents(from.rel, keep)
	return e.db.Delete(from.rel)
}

// removeEmptyParents removes the directories above rel that are empty,
// up to the folder or to a directory in keep (whose marker stays: the
// remote side keeps it).
func (e *Engine) removeEmptyParents(rel string, keep map[string]bool) {
	for dir := path.Dir(rel); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if keep[dir+"/"] || syscall.Rmdir(join(e.root, dir)) != nil {
			return
		}
	}
}

// unixNano converts Unix nanoseconds to a time.
func unixNano(ns int64) time.Time { return time.Unix(0, ns) }
