//go:build !unix

package cache

import (
	"fmt"
	"os"
)

// lockDir opens the lock file without locking it: where flock is missing,
// the caller must not share a cache directory between processes.
func lockDir(dir, path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s of %s: %w", path, dir, err)
	}
	return f, nil
}
