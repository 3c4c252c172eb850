//go:build !linux

package daemon

import "golang.org/x/sys/unix"

// detach forces dir off: without lazy unmounts, this is the closest.
func detach(dir string) error { return unix.Unmount(dir, unix.MNT_FORCE) }
