package disk

import (
	"errors"
	"fmt"
	"os"

	"github.com/cairnfs/cairn/internal/flock"
)

// lockDir takes the lock file path of the data directory dir. It fails
// with ErrLocked while another process (or another open Store) holds it.
func lockDir(dir, path string) (*os.File, error) {
	if !flock.Supported {
		return nil, fmt.Errorf("lock %s: %w", dir, errors.ErrUnsupported)
	}
	f, err := flock.Lock(path)
	if errors.Is(err, flock.ErrLocked) {
		return nil, fmt.Errorf("data directory %s: %w", dir, ErrLocked)
	}
	return f, err
}

// unlockDir releases the lock taken by lockDir.
func unlockDir(f *os.File) error {
	return f.Close()
}
