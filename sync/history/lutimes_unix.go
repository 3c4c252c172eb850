//go:build unix

package history

import (
	"time"

	"golang.org/x/sys/unix"
)

// lutimes sets the access and modification times of name, a symbolic
// link, without following it.
func lutimes(name string, t time.Time) error {
	ts := unix.NsecToTimespec(t.UnixNano())
	return unix.UtimesNanoAt(unix.AT_FDCWD, name, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
