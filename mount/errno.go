package mount

import (
	"context"
	"errors"
	"io/fs"
	"syscall"

	"github.com/cairnfs/cairn/objstore"
)

// errnoTable pairs each store condition the mount can meet with the errno
// the caller sees. It is the one place that does.
var errnoTable = []struct {
	err   error
	errno syscall.Errno
}{
	{objstore.ErrNoSuchKey, syscall.ENOENT},
	{objstore.ErrNoSuchVersion, syscall.ENOENT},
	{objstore.ErrNoSuchBucket, syscall.ENOENT},
	{objstore.ErrAccessDenied, syscall.EACCES},
	{objstore.ErrPreconditionFailed, syscall.ESTALE},
	{objstore.ErrConditionalRequestConflict, syscall.EAGAIN},
	{objstore.ErrKeyTooLong, syscall.ENAMETOOLONG},
	{objstore.ErrEntityTooLarge, syscall.EFBIG},
	{objstore.ErrMetadataTooLarge, syscall.E2BIG},
	{objstore.ErrInvalidObjectState, syscall.EACCES},
	{objstore.ErrServiceUnavailable, syscall.EAGAIN},
	{objstore.ErrNotImplemented, syscall.ENOTSUP},
	{objstore.ErrMethodNotAllowed, syscall.EPERM},
	{fs.ErrNotExist, syscall.ENOENT},
	{context.Canceled, syscall.EINTR},
	{context.DeadlineExceeded, syscall.ETIMEDOUT},
}

// toErrno maps err to the errno a file system call returns: the table's
// entry, the errno err wraps, or EIO.
func toErrno(err error) syscall.Errno {
	if err == nil {
		return 0
	}
	for _, e := range errnoTable {
		if errors.Is(err, e.err) {
			return e.errno
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return syscall.EIO
}
