//go:build unix

package flock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive, non-blocking flock on path (created if
// missing) and returns the open file that holds it; closing the file
// releases it. It fails with ErrLocked while the lock is held elsewhere,
// in this process too.
func Lock(path string) (*os.File, error) {
	return lock(path, syscall.LOCK_EX|syscall.LOCK_NB)
}

// Wait takes an exclusive flock on path (created if missing), waiting
// while another user holds it, and returns the open file that holds it;
// closing the file releases it. It orders short read-modify-write
// updates of a file that more than one process changes.
func Wait(path string) (*os.File, error) {
	return lock(path, syscall.LOCK_EX)
}

// lock takes the flock of kind how on path.
func lock(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// Supported tells whether Lock excludes other users on this platform.
const Supported = true
