// Package fsmeta stores POSIX file attributes in object user metadata,
// with the names s3fs uses (x-amz-meta-mode, -uid, -gid, -mtime), so that
// files written by cairn's mount, cairn sync, s3fs and rclone agree on
// modes, owners and times. A symbolic link is an object whose mode has the
// S_IFLNK type bits and whose content is the link target, as s3fs stores it.
package fsmeta

import (
	"io/fs"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The user metadata names (lower case, without x-amz-meta-).
const (
	Mode  = "mode"
	UID   = "uid"
	GID   = "gid"
	Mtime = "mtime"
)

// DirContentType is the content type s3fs gives directory markers.
const DirContentType = "application/x-directory"

// Attrs are the attributes recorded for one object. A zero field was not
// recorded.
type Attrs struct {
	// Mode is st_mode with the file type bits (S_IFREG, S_IFDIR, S_IFLNK).
	Mode     uint32
	UID, GID uint32
	// HasUID and HasGID tell whether the owner was recorded.
	HasUID, HasGID bool
	Mtime          time.Time
}

// IsLink tells whether the attributes are those of a symbolic link.
func (a Attrs) IsLink() bool { return a.Mode&syscall.S_IFMT == syscall.S_IFLNK }

// IsDir tells whether the attributes are those of a directory.
func (a Attrs) IsDir() bool { return a.Mode&syscall.S_IFMT == syscall.S_IFDIR }

// Perm returns the permission bits as an fs.FileMode (with setuid, setgid
// and sticky mapped to Go's bits), and whether a mode was recorded.
func (a Attrs) Perm() (fs.FileMode, bool) {
	if a.Mode == 0 {
		return 0, false
	}
	m := fs.FileMode(a.Mode & 0o777)
	if a.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if a.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if a.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m, true
}

// Parse reads the attributes recorded in user metadata (keys lower case,
// as objstore returns them). Unparsable values count as absent.
func Parse(meta map[string]string) Attrs {
	var a Attrs
	if v, ok := ParseUint32(meta[Mode]); ok {
		a.Mode = v
		if a.Mode&syscall.S_IFMT == 0 {
			a.Mode |= syscall.S_IFREG
		}
	}
	a.UID, a.HasUID = ParseUint32(meta[UID])
	a.GID, a.HasGID = ParseUint32(meta[GID])
	if t, ok := ParseMtime(meta[Mtime]); ok {
		a.Mtime = t
	}
	return a
}

// Metadata returns the user metadata that records a. The mtime keeps whole
// seconds, as s3fs writes it.
func (a Attrs) Metadata() map[string]string {
	m := map[string]string{Mode: strconv.FormatUint(uint64(a.Mode), 10)}
	if a.HasUID {
		m[UID] = strconv.FormatUint(uint64(a.UID), 10)
	}
	if a.HasGID {
		m[GID] = strconv.FormatUint(uint64(a.GID), 10)
	}
	if !a.Mtime.IsZero() {
		m[Mtime] = strconv.FormatInt(a.Mtime.Unix(), 10)
	}
	return m
}

// ParseUint32 parses a decimal metadata value.
func ParseUint32(s string) (uint32, bool) {
	v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	return uint32(v), err == nil
}

// ParseMtime parses decimal seconds since the epoch, with an optional
// fraction.
func ParseMtime(s string) (time.Time, bool) {
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
