package engine

import (
	"time"

	"golang.org/x/sys/unix"
)

// lchtimes sets the mtime of a symlink itself; failures are ignored (some
// filesystems cannot).
func lchtimes(name string, mtime time.Time) {
	ts := unix.NsecToTimespec(mtime.UnixNano())
	unix.UtimesNanoAt(unix.AT_FDCWD, name, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
