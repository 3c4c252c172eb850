//go:build !unix

package disk

import (
	"errors"
	"fmt"
	"os"
)

// lockDir fails: the engine needs flock to guard its data directory.
func lockDir(dir, path string) (*os.File, error) {
	return nil, fmt.Errorf("lock %s: %w", dir, errors.ErrUnsupported)
}

func unlockDir(f *os.File) error { return f.Close() }
