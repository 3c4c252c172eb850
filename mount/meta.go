package mount

import (
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// The s3fs user metadata names of file attributes.
const (
	metaMode  = "mode"
	metaUID   = "uid"
	metaGID   = "gid"
	metaMtime = "mtime"
)

// dirContentType is the content type s3fs gives directory markers.
const dirContentType = "application/x-directory"

// attrs are the POSIX attributes of a file, directory or symlink.
type attrs struct {
	mode     uint32 // st_mode with the file type bits
	uid, gid uint32
	mtime    time.Time
	size     int64
	etag     string // of the stored object; "" when there is none
}

// isDir and isLink tell the file type.
func (a attrs) isDir() bool  { return a.mode&syscall.S_IFMT == syscall.S_IFDIR }
func (a attrs) isLink() bool { return a.mode&syscall.S_IFMT == syscall.S_IFLNK }

// fileType returns the type bits of the mode.
func (a attrs) fileType() uint32 { return a.mode & syscall.S_IFMT }

// attrsOf reads the attributes of a stored object from its s3fs
// metadata, falling back to the defaults of opts and LastModified. dir
// tells that the object is a directory marker.
func attrsOf(info objstore.ObjectInfo, dir bool, opts Options) attrs {
	a := attrs{
		mode:  syscall.S_IFREG | uint32(opts.FileMode.Perm()),
		uid:   opts.UID,
		gid:   opts.GID,
		mtime: info.LastModified,
		size:  info.Size,
		etag:  info.ETag,
	}
	if dir {
		a.mode = syscall.S_IFDIR | uint32(opts.DirMode.Perm())
	}
	m := info.UserMetadata
	if v, ok := parseUint32(m[metaMode]); ok {
		a.mode = v
		if a.fileType() == 0 {
			a.mode |= syscall.S_IFREG
		}
		if dir {
			a.mode = syscall.S_IFDIR | a.mode&0o7777
		}
	}
	if v, ok := parseUint32(m[metaUID]); ok {
		a.uid = v
	}
	if v, ok := parseUint32(m[metaGID]); ok {
		a.gid = v
	}
	if t, ok := parseMtime(m[metaMtime]); ok {
		a.mtime = t
	}
	return a
}

// userMetadata returns the s3fs metadata that records a.
func (a attrs) userMetadata() map[string]string {
	return map[string]string{
		metaMode:  strconv.FormatUint(uint64(a.mode), 10),
		metaUID:   strconv.FormatUint(uint64(a.uid), 10),
		metaGID:   strconv.FormatUint(uint64(a.gid), 10),
		metaMtime: strconv.FormatInt(a.mtime.Unix(), 10),
	}
}

// parseUint32 parses a decimal metadata value.
func parseUint32(s string) (uint32, bool) {
	v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	return uint32(v), err == nil
}

// parseMtime parses decimal seconds, with an optional fraction.
func parseMtime(s string) (time.Time, bool) {
	secs, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}, false
	}
	var nsec int64
	if frac != "" {
		frac = (frac + "000000000")[:9]
		if n, err := strconv.ParseInt(frac, 10, 64); err == nil {
			nsec = n
		}
	}
	return time.Unix(sec, nsec), true
}
