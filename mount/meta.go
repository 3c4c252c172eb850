package mount

import (
	"strconv"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
)

// The s3fs user metadata names of file attributes, and the content type
// of directory markers (package fsmeta keeps the convention).
const (
	metaMode       = fsmeta.Mode
	metaUID        = fsmeta.UID
	metaGID        = fsmeta.GID
	metaMtime      = fsmeta.Mtime
	dirContentType = fsmeta.DirContentType
)

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
	if v, ok := fsmeta.ParseUint32(m[metaMode]); ok {
		a.mode = v
		if a.fileType() == 0 {
			a.mode |= syscall.S_IFREG
		}
		if dir {
			a.mode = syscall.S_IFDIR | a.mode&0o7777
		}
	}
	if v, ok := fsmeta.ParseUint32(m[metaUID]); ok {
		a.uid = v
	}
	if v, ok := fsmeta.ParseUint32(m[metaGID]); ok {
		a.gid = v
	}
	if t, ok := fsmeta.ParseMtime(m[metaMtime]); ok {
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
