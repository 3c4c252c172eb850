package daemon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"

	"github.com/cairnfs/cairn/cache"
	"github.com/cairnfs/cairn/mount"
)

// mountUnit mounts a bucket prefix through FUSE, as cairn mount.
type mountUnit struct {
	env *env
	cfg MountConfig
	fs  atomic.Pointer[mount.FS]
	bc  atomic.Pointer[cache.Cache]
}

func newMountUnit(e *env, c MountConfig) unit { return &mountUnit{env: e, cfg: c} }

// options turns the config into mount.Options.
func (c MountConfig) options(bucket, prefix string) mount.Options {
	o := mount.Options{
		Bucket: bucket, Prefix: prefix, ReadOnly: c.ReadOnly, AllowOther: c.AllowOther,
		FileMode: os.FileMode(c.FileMode), DirMode: os.FileMode(c.DirMode),
		MetadataTTL: duration(c.MetadataTTL), PartSize: int64(c.PartSize),
		UploadConcurrency: c.UploadConcurrency, StagingDir: c.StagingDir, NoPassthrough: c.NoPassthrough,
	}
	if c.UID >= 0 || c.GID >= 0 {
		o.UID, o.GID = uint32(os.Getuid()), uint32(os.Getgid())
		if c.UID >= 0 {
			o.UID = uint32(c.UID)
		}
		if c.GID >= 0 {
			o.GID = uint32(c.GID)
		}
	}
	return o
}

func (u *mountUnit) run(ctx context.Context, ready func()) error {
	bucket, prefix, _ := ParseTarget(u.cfg.Target)
	opts := u.cfg.options(bucket, prefix)
	opts.Logger = u.env.log.With("mount", u.cfg.Name)
	st, err := u.env.stores.get(ctx, u.cfg.Remote, false)
	if err != nil {
		return err
	}
	if st, err = u.cfg.WriteConfig.apply(st); err != nil {
		return err
	}
	bc, err := OpenMountCache(CacheConfig{Dir: u.cfg.CacheDir, DiskBytes: int64(u.cfg.CacheSize), MemoryBytes: int64(u.cfg.MemoryCacheSize)},
		u.cfg.Endpoint, bucket, prefix, opts.Logger)
	if err != nil {
		return err
	}
	if bc != nil {
		defer bc.Close()
		u.bc.Store(bc)
		defer u.bc.Store(nil)
	}
	opts.Cache = bc
	if err := prepareMountpoint(u.cfg.Mountpoint); err != nil {
		return err
	}
	fsys, err := mount.Mount(ctx, st, u.cfg.Mountpoint, opts)
	if err != nil {
		return err
	}
	for _, p := range fsys.Recovered() {
		opts.Logger.Warn("stored a file written before the last mount ended and not stored then", "path", p)
	}
	u.fs.Store(fsys)
	defer u.fs.Store(nil)
	opts.Logger.Info("mounted", "target", u.cfg.Target, "mountpoint", u.cfg.Mountpoint)
	ready()
	return u.wait(ctx, fsys)
}

// wait serves until ctx ends, which flushes and unmounts, or until the
// mount is taken away from outside, which is a failure.
func (u *mountUnit) wait(ctx context.Context, fsys *mount.FS) error {
	done := make(chan struct{})
	go func() { fsys.Wait(); close(done) }()
	select {
	case <-done:
		return fmt.Errorf("%s was unmounted from outside the daemon", u.cfg.Mountpoint)
	case <-ctx.Done():
	}
	err := fsys.Unmount()
	if err == nil {
		<-done
		return nil
	}
	// Files still open keep the mount busy: what they hold is stored
	// (or journaled) by now, so detach it; it ends when they close, or
	// when the daemon exits. Unmount failing after the kernel let go (a
	// file that failed to store) leaves nothing mounted.
	derr := detach(u.cfg.Mountpoint)
	if derr != nil && !errors.Is(derr, syscall.EINVAL) {
		return fmt.Errorf("unmount %s: %w", u.cfg.Mountpoint, errors.Join(err, derr))
	}
	if derr == nil {
		u.env.log.Warn("mount busy: detached it", "mount", u.cfg.Name, "err", err)
		return nil
	}
	<-done
	return err
}

// prepareMountpoint creates the mountpoint, and detaches a dead mount
// left on it by a process that was killed.
func prepareMountpoint(dir string) error {
	_, err := os.Stat(dir)
	if errors.Is(err, syscall.ENOTCONN) {
		if err := detach(dir); err != nil {
			return fmt.Errorf("detach the dead mount on %s: %w", dir, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create mountpoint: %w", err)
	}
	return nil
}

func (u *mountUnit) fill(st *UnitStatus) {
	if fsys := u.fs.Load(); fsys != nil {
		n := fsys.Pending()
		st.PendingUploads = &n
	}
}
