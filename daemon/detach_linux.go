package daemon

import "syscall"

// detach lazily unmounts dir: it leaves the namespace now and ends when
// its last open file closes.
func detach(dir string) error { return syscall.Unmount(dir, syscall.MNT_DETACH) }
