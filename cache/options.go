package cache

import (
	"errors"
	"fmt"
	"log/slog"
)

// DefaultBlockSize is the block size used when Options.BlockSize is zero.
const DefaultBlockSize = 1 << 20

// maxBlockSize bounds Options.BlockSize so one block always fits in memory.
const maxBlockSize = 256 << 20

// Options configure a Cache.
type Options struct {
	// BlockSize is the size of one block in bytes; 0 means DefaultBlockSize.
	BlockSize int64
	// MemoryBytes is the capacity of the memory tier in bytes; 0 disables it.
	MemoryBytes int64
	// DiskDir is the directory of the disk tier; "" disables it.
	DiskDir string
	// DiskBytes is the capacity of the disk tier in bytes (blocks with
	// their index entries). It must be positive when DiskDir is set.
	DiskBytes int64
	// Logger receives warnings such as discarded block files; nil means
	// slog.Default().
	Logger *slog.Logger
}

// withDefaults checks o and fills in its defaults.
func (o Options) withDefaults() (Options, error) {
	if o.BlockSize == 0 {
		o.BlockSize = DefaultBlockSize
	}
	if o.BlockSize < 0 || o.BlockSize > maxBlockSize {
		return o, fmt.Errorf("block size %d: must be between 1 and %d", o.BlockSize, maxBlockSize)
	}
	if o.MemoryBytes < 0 {
		return o, fmt.Errorf("memory cache size %d: must not be negative", o.MemoryBytes)
	}
	if o.DiskDir != "" && o.DiskBytes <= 0 {
		return o, fmt.Errorf("disk cache size %d for %s: must be positive", o.DiskBytes, o.DiskDir)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o, nil
}

// ErrClosed is returned by ReadAt on a closed Cache.
var ErrClosed = errors.New("cache: closed")

// ErrLocked is returned by Open when another Cache holds the disk directory.
var ErrLocked = errors.New("cache: directory in use by another process")
