package mount

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairnfs/cairn/cache"
	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// Defaults of Options.
const (
	DefaultFileMode             os.FileMode = 0o644
	DefaultDirMode              os.FileMode = 0o755
	DefaultMetadataTTL                      = time.Second
	DefaultPartSize                         = transfer.DefaultPartSize
	DefaultConcurrency                      = transfer.DefaultConcurrency
	DefaultWriteBackConcurrency             = 16
	DefaultWriteBackDelay                   = 100 * time.Millisecond
)

// Options configure a mount.
type Options struct {
	// Bucket is the bucket to mount; Prefix, "" or ending in "/", the
	// part of it shown as the root directory.
	Bucket, Prefix string
	// ReadOnly mounts read-only; AllowOther lets other users in.
	ReadOnly, AllowOther bool
	// UID and GID own objects that carry no owner metadata; they default
	// to the mounting user.
	UID, GID uint32
	// FileMode and DirMode are the permissions of files and directories
	// that carry no mode metadata (defaults 0644 and 0755).
	FileMode, DirMode os.FileMode
	// MetadataTTL is how long attributes and listings are trusted, here
	// and in the kernel (default 1s). A change made elsewhere shows within it.
	MetadataTTL time.Duration
	// PartSize is the size from which uploads go multipart and the size
	// of their parts (default 8 MiB, at least 5 MiB).
	PartSize int64
	// UploadConcurrency is how many parts, copies or deletes run at once.
	UploadConcurrency int
	// SyncClose makes close(2) wait until the file is stored. By default
	// a closed file is uploaded in the background (write-back): close
	// returns once it is staged and journaled; fsync and Unmount wait.
	SyncClose bool
	// WriteBackConcurrency is how many closed files are uploaded at once
	// in the background (default 16).
	WriteBackConcurrency int
	// WriteBackDelay is how long after its close a file's background
	// upload starts (default 100ms; negative: at once), so that the
	// chmod, chown and utimens a program makes right after closing it
	// go up with the content instead of in a second upload. A file
	// whose mtime was set while it was open (tar and cp -p set the
	// times last) is uploaded at once.
	WriteBackDelay time.Duration
	// StagingDir holds staged files and their journal; default a
	// directory per bucket and prefix under the user cache directory.
	StagingDir string
	// Cache is the block cache of the read path; nil reads straight
	// from the store. The mount does not close it.
	Cache *cache.Cache
	// NoPassthrough keeps the kernel from reading files whose whole
	// version the cache's disk tier holds straight from there (see
	// passthrough.go); every read then goes through the mount.
	NoPassthrough bool
	// Logger receives warnings and errors; default slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if o.Bucket == "" {
		return o, fmt.Errorf("mount: no bucket")
	}
	if o.Prefix != "" && (!strings.HasSuffix(o.Prefix, "/") || !validKey(o.Prefix)) {
		return o, fmt.Errorf("mount: prefix %q must end in / and hold only POSIX names", o.Prefix)
	}
	if o.UID == 0 && o.GID == 0 {
		o.UID, o.GID = uint32(os.Getuid()), uint32(os.Getgid())
	}
	if o.FileMode == 0 {
		o.FileMode = DefaultFileMode
	}
	if o.DirMode == 0 {
		o.DirMode = DefaultDirMode
	}
	if o.MetadataTTL <= 0 {
		o.MetadataTTL = DefaultMetadataTTL
	}
	if o.PartSize <= 0 {
		o.PartSize = DefaultPartSize
	}
	o.PartSize = max(o.PartSize, objstore.MinPartSize)
	if o.UploadConcurrency <= 0 {
		o.UploadConcurrency = DefaultConcurrency
	}
	if o.WriteBackDelay == 0 {
		o.WriteBackDelay = DefaultWriteBackDelay
	}
	if o.WriteBackConcurrency <= 0 {
		o.WriteBackConcurrency = DefaultWriteBackConcurrency
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.StagingDir == "" {
		dir, err := defaultStagingDir(o.Bucket, o.Prefix)
		if err != nil {
			return o, err
		}
		o.StagingDir = dir
	}
	return o, nil
}

// defaultStagingDir is a directory of the user cache named after the
// bucket and prefix, so that each mounted tree has a journal of its own.
func defaultStagingDir(bucket, prefix string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("mount: staging dir: %w", err)
	}
	sum := sha256.Sum256([]byte(bucket + "/" + prefix))
	return filepath.Join(base, "cairn", "staging", bucket+"-"+hex.EncodeToString(sum[:6])), nil
}

// transferOptions returns the transfer options of uploads and copies.
func (o Options) transferOptions() transfer.Options {
	return transfer.Options{Threshold: o.PartSize, PartSize: o.PartSize, Concurrency: o.UploadConcurrency}
}
