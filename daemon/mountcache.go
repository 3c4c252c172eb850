package daemon

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/cairnfs/cairn/cache"
)

// CacheConfig sizes the block cache of a mount.
type CacheConfig struct {
	// Dir is the disk tier's directory; "" picks one per endpoint,
	// bucket and prefix under the user cache directory.
	Dir string
	// DiskBytes and MemoryBytes are the tiers' capacities; 0 turns a
	// tier off.
	DiskBytes, MemoryBytes int64
}

// OpenMountCache opens the block cache of a mount of bucket/prefix on
// endpoint ("" for the embedded store), nil when both tiers are off. Its
// default disk directory is one per tree, so that each mount reuses its
// own blocks; a second mount of the same tree at once takes the next
// free directory.
func OpenMountCache(c CacheConfig, endpoint, bucket, prefix string, log *slog.Logger) (*cache.Cache, error) {
	if c.DiskBytes == 0 && c.MemoryBytes == 0 {
		return nil, nil
	}
	o := cache.Options{MemoryBytes: c.MemoryBytes, DiskBytes: c.DiskBytes, Logger: log}
	if c.DiskBytes == 0 { // the disk tier is off, wherever it would be
		return openCacheAt(o)
	}
	if c.Dir != "" {
		o.DiskDir = c.Dir
		return openCacheAt(o)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("block cache: %w (set a cache directory)", err)
	}
	sum := sha256.Sum256([]byte(endpoint + "\x00" + bucket + "/" + prefix))
	dir := filepath.Join(base, "cairn", "blocks", bucket+"-"+hex.EncodeToString(sum[:6]))
	for i := 1; ; i++ {
		o.DiskDir = dir
		if i > 1 {
			o.DiskDir = fmt.Sprintf("%s.%d", dir, i)
		}
		c, err := openCacheAt(o)
		if !errors.Is(err, cache.ErrLocked) || i == 8 {
			return c, err
		}
	}
}

func openCacheAt(o cache.Options) (*cache.Cache, error) {
	c, err := cache.Open(o)
	if err != nil {
		return nil, fmt.Errorf("block cache %s: %w", o.DiskDir, err)
	}
	return c, nil
}
