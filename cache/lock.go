package cache

import (
	"errors"
	"fmt"
	"os"

	"github.com/cairnfs/cairn/internal/flock"
)

// lockDir takes the lock file path of the cache directory dir, so that two
// processes never share one disk tier. Where flock is missing, the caller
// must not share a cache directory between processes.
func lockDir(dir, path string) (*os.File, error) {
	f, err := flock.Lock(path)
	if errors.Is(err, flock.ErrLocked) {
		return nil, fmt.Errorf("cache directory %s: %w", dir, ErrLocked)
	}
	return f, err
}
