package engine

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/sync/state"
)

// local is a file or symlink found in the folder.
type local struct {
	rel   string
	size  int64
	mtime int64 // Unix nanoseconds
	mode  uint32
	uid   uint32
	gid   uint32
	link  string // target, for a symlink
	// sha and md5 are the content hashes, once computed.
	sha, md5 string
	// dir tells a directory (its rel ends in "/"); empty tells that it
	// holds nothing the sync carries (ignored files do not count).
	dir, empty bool
}

// remote is an object found under the prefix, or a directory marker
// (its rel ends in "/").
type remote struct {
	rel      string
	key      string
	size     int64
	etag     string
	modified time.Time
}

// entry is one path with what each side and the record say of it. The
// path of a directory ends in "/", so that it sorts just before what it
// holds, as its marker object does among keys.
type entry struct {
	rel string
	l   *local
	r   *remote
	s   *state.Record
}

// isDir tells whether the entry is a directory rather than a file.
func (en entry) isDir() bool { return strings.HasSuffix(en.rel, "/") }

// isLink tells whether the local entry is a symlink.
func (l *local) isLink() bool { return l.mode&syscall.S_IFMT == syscall.S_IFLNK }

// newLocal describes the lstat result fi of rel under root.
func newLocal(root, rel string, fi fs.FileInfo) (*local, error) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil, fmt.Errorf("stat %s: no file status", rel)
	}
	l := &local{rel: rel, size: fi.Size(), mtime: fi.ModTime().UnixNano(), mode: uint32(st.Mode), uid: st.Uid, gid: st.Gid}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(join(root, rel))
		if err != nil {
			return nil, fmt.Errorf("read link %s: %w", rel, err)
		}
		l.link, l.size = target, int64(len(target))
	}
	return l, nil
}

// hash computes (once) the SHA-256 of the content: the file's bytes, or
// a symlink's target.
func (l *local) hash(root string) error { return l.digest(root, false) }

// hashMD5 computes (once) the SHA-256 and the MD5 of the content; the MD5
// is only wanted to compare with a simple object's ETag.
func (l *local) hashMD5(root string) error { return l.digest(root, true) }

// digest reads the content once for the hashes not computed yet.
func (l *local) digest(root string, withMD5 bool) error {
	if l.sha != "" && (!withMD5 || l.md5 != "") {
		return nil
	}
	sh, m := sha256.New(), md5.New()
	w := io.Writer(sh)
	if withMD5 {
		w = io.MultiWriter(sh, m)
	}
	if l.isLink() {
		io.WriteString(w, l.link)
	} else {
		f, err := os.Open(join(root, l.rel))
		if err != nil {
			return fmt.Errorf("read %s: %w", l.rel, err)
		}
		defer f.Close()
		if _, err := io.Copy(w, f); err != nil {
			return fmt.Errorf("read %s: %w", l.rel, err)
		}
	}
	l.sha = hex.EncodeToString(sh.Sum(nil))
	if withMD5 {
		l.md5 = hex.EncodeToString(m.Sum(nil))
	}
	return nil
}

// sameStat tells whether the file still has the size, mtime and mode the
// record saw, so that its content needs no reading.
func (l *local) sameStat(r *state.Record) bool {
	return l.size == r.Size && l.mtime == r.Mtime && l.mode == r.Mode
}

// record returns the state record of l stored as the remote version
// (etag, versionID).
func (l *local) record(etag, versionID string) state.Record {
	return state.Record{Size: l.size, Mtime: l.mtime, Mode: l.mode, Hash: l.sha, ETag: etag, VersionID: versionID}
}
