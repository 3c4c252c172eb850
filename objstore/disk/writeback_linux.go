//go:build linux

package disk

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing a just-written range of
// f to disk without waiting for it, so the fsync at the end of a large
// write finds little left to do. It is only a hint: errors are ignored,
// and the fsync still decides durability.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
