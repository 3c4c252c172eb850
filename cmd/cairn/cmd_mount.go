package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/cache"
	"github.com/cairnfs/cairn/daemon"
	"github.com/cairnfs/cairn/internal/sdnotify"
	"github.com/cairnfs/cairn/mount"
	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/spf13/cobra"
)

// mountFlags are the options of cairn mount.
type mountFlags struct {
	writes               writeFlags
	readOnly, allowOther bool
	uid, gid             int
	fileMode, dirMode    string
	metadataTTL          time.Duration
	partSize             sizeFlag
	uploadConcurrency    int
	stagingDir           string
	cacheDir             string
	cacheSize            sizeFlag
	memoryCacheSize      sizeFlag
	foreground           bool
	serve                string
	syncClose            bool
	noPassthrough        bool
}

// readyFDEnv tells a mount running in the background which inherited file
// descriptor to report readiness on.
const readyFDEnv = "CAIRN_MOUNT_READY_FD"

func newMountCmd(a *app) *cobra.Command {
	var f mountFlags
	cmd := &cobra.Command{
		Use:   "mount [flags] s3://BUCKET[/PREFIX] MOUNTPOINT",
		Short: "Mount a bucket (or a prefix of one) as a directory",
		Long: `Mount a bucket, or the part of it under a prefix, as a directory through
FUSE. Without --endpoint it mounts the embedded store of --data; with
--serve ADDR the same process also serves that store over S3, so that other
S3 tools see what the mount writes at once.

Files keep their mode, owner and times in s3fs-style metadata
(x-amz-meta-mode, -uid, -gid, -mtime), so s3fs and rclone see the same
tree. Writes are staged in local files and journaled; a closed file is
uploaded in the background (close returns at once; --sync-close waits).
fsync of a file returns once it is stored, fsync of a directory once every
file below it is, and unmounting stores everything first. After a crash
the next mount stores what was written and not stored, and says so.

Reads go through a block cache in memory and on disk (--cache-dir). When
the disk cache holds the whole stored version of a file, a read-only open
of it is handed to the kernel, which reads it straight from the cache file
(FUSE passthrough: Linux 6.9 or later, as root; --no-passthrough turns it
off). While a file is read that way, other read-only opens share the
version it opened, and opening it for writing or truncating it waits up to
a second for it to be closed, then fails with ETXTBSY.

The mount runs in the background and the command returns once it is ready;
--foreground keeps it attached. Stop it with cairn unmount MOUNTPOINT.`,
		Example: `  cairn mount s3://photos ~/photos
  cairn mount --read-only s3://archive/2025/ /mnt/archive
  cairn --endpoint https://s3.eu-west-1.amazonaws.com mount s3://team-share /srv/share
  cairn unmount ~/photos`,
		Args: cobra.ExactArgs(2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if f.foreground || os.Getenv(readyFDEnv) != "" {
				err := a.mountForeground(cmd.Context(), args[0], args[1], f)
				reportReady(err) // a no-op once the mount reported itself ready
				return err
			}
			return a.mountBackground(args)
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.readOnly, "read-only", false, "mount read-only")
	fl.BoolVar(&f.allowOther, "allow-other", false, "let other users use the mount (needs user_allow_other in /etc/fuse.conf for non-root)")
	fl.IntVar(&f.uid, "uid", -1, "owner of files that carry no uid metadata (default: the mounting user)")
	fl.IntVar(&f.gid, "gid", -1, "group of files that carry no gid metadata (default: the mounting user's)")
	fl.StringVar(&f.fileMode, "file-mode", "0644", "permissions of files that carry no mode metadata (octal)")
	fl.StringVar(&f.dirMode, "dir-mode", "0755", "permissions of directories that carry no mode metadata (octal)")
	fl.DurationVar(&f.metadataTTL, "metadata-ttl", mount.DefaultMetadataTTL, "how long attributes and listings are trusted; changes made elsewhere show within it")
	f.partSize, f.cacheSize, f.memoryCacheSize = mount.DefaultPartSize, defaultCacheSize, defaultMemoryCacheSize
	fl.Var(&f.partSize, "part-size", "size from which files are stored as multipart uploads, and their part size (at least 5MiB)")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "directory of the disk block cache, reused by later mounts (default under the user cache directory)")
	fl.Var(&f.cacheSize, "cache-size", "capacity of the disk block cache; 0 turns it off")
	fl.Var(&f.memoryCacheSize, "memory-cache-size", "capacity of the memory block cache; 0 turns it off")
	fl.IntVar(&f.uploadConcurrency, "upload-concurrency", mount.DefaultConcurrency, "parts uploaded in parallel")
	fl.StringVar(&f.stagingDir, "staging-dir", "", "where written files are staged and journaled (default under the user cache directory)")
	fl.BoolVar(&f.foreground, "foreground", false, "stay in the foreground until unmounted (Ctrl-C unmounts)")
	fl.StringVar(&f.serve, "serve", "", "also serve the embedded store over S3 on this address, e.g. 127.0.0.1:9000")
	f.writes.register(fl, true)
	fl.BoolVar(&f.syncClose, "sync-close", false, "make close wait until the file is stored, instead of uploading it in the background")
	fl.BoolVar(&f.noPassthrough, "no-passthrough", false, "never let the kernel read files straight from the disk cache (FUSE passthrough); every read goes through the mount")
	return cmd
}

// mountOptions turns the flags into mount.Options.
func (f mountFlags) mountOptions(bucket, prefix string, log *slog.Logger) (mount.Options, error) {
	o := mount.Options{
		Bucket: bucket, Prefix: prefix, ReadOnly: f.readOnly, AllowOther: f.allowOther,
		MetadataTTL: f.metadataTTL, PartSize: int64(f.partSize), UploadConcurrency: f.uploadConcurrency,
		StagingDir: f.stagingDir, Logger: log, SyncClose: f.syncClose, NoPassthrough: f.noPassthrough,
	}
	if f.uid >= 0 || f.gid >= 0 {
		o.UID, o.GID = uint32(os.Getuid()), uint32(os.Getgid())
		if f.uid >= 0 {
			o.UID = uint32(f.uid)
		}
		if f.gid >= 0 {
			o.GID = uint32(f.gid)
		}
	}
	var err error
	if o.FileMode, err = parseMode("--file-mode", f.fileMode); err != nil {
		return o, err
	}
	o.DirMode, err = parseMode("--dir-mode", f.dirMode)
	return o, err
}

func parseMode(flag, v string) (os.FileMode, error) {
	n, err := strconv.ParseUint(v, 8, 32)
	if err != nil || n > 0o7777 {
		return 0, usagef("%s %q: want octal permissions such as 0644", flag, v)
	}
	return os.FileMode(n), nil
}

// Defaults of the block cache of a mount.
const (
	defaultCacheSize       = 4 << 30
	defaultMemoryCacheSize = 256 << 20
)

// openCache opens the block cache the flags ask for (nil when both tiers
// are off), as the daemon's mounts do: its disk tier lives in a directory
// per bucket and prefix, so that each mount reuses its own blocks.
func (f mountFlags) openCache(endpoint, bucket, prefix string, log *slog.Logger) (*cache.Cache, error) {
	c := daemon.CacheConfig{Dir: f.cacheDir, DiskBytes: int64(f.cacheSize), MemoryBytes: int64(f.memoryCacheSize)}
	return daemon.OpenMountCache(c, endpoint, bucket, prefix, log)
}

// parseMountTarget reads s3://BUCKET[/PREFIX] or a bare BUCKET[/PREFIX].
func parseMountTarget(arg string) (bucket, prefix string, err error) {
	rest := strings.TrimPrefix(arg, s3Scheme)
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", usagef("%s: no bucket to mount", arg)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return bucket, prefix, nil
}

// mountForeground mounts and serves until unmounted or signalled.
func (a *app) mountForeground(ctx context.Context, target, dir string, f mountFlags) error {
	bucket, prefix, err := parseMountTarget(target)
	if err != nil {
		return err
	}
	opts, err := f.mountOptions(bucket, prefix, a.logger)
	if err != nil {
		return err
	}
	if f.serve != "" && a.remote.endpoint != "" {
		return usagef("--serve serves the embedded store; it does not go with --endpoint")
	}
	if opts.Cache, err = f.openCache(a.remote.endpoint, bucket, prefix, a.logger); err != nil {
		return err
	}
	if opts.Cache != nil {
		defer opts.Cache.Close()
	}
	return a.withStore(ctx, func(st objstore.Store) error {
		stopServe, err := a.serveAlongside(st, f.serve)
		if err != nil {
			return err
		}
		defer stopServe()
		wst, err := f.writes.apply(st)
		if err != nil {
			return err
		}
		fsys, err := mount.Mount(ctx, wst, dir, opts)
		if err != nil {
			return err
		}
		for _, p := range fsys.Recovered() {
			fmt.Fprintf(a.stderr, "cairn: mount: stored %s, written before the last mount ended and not stored then\n", p)
		}
		reportReady(nil)
		defer a.ready(fmt.Sprintf("mounted %s on %s", target, dir))()
		return waitUnmount(fsys)
	})
}

// serveAlongside serves st over S3 on addr (when set) for the life of a
// mount, and returns what stops it.
func (a *app) serveAlongside(st objstore.Store, addr string) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	root, created, err := s3api.LoadRootCredential(a.dataDir, a.getenv)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--serve %s: %w", addr, err)
	}
	if created {
		fmt.Fprintf(a.stderr, "cairn: created the root credential (kept in %s): access key %s, secret key %s\n", a.dataDir, root.AccessKey, root.SecretKey)
	}
	fmt.Fprintf(a.stderr, "cairn: serving S3 on http://%s (access key %s)\n", ln.Addr(), root.AccessKey)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		cfg := s3api.Config{Root: root, Logger: a.logger, Domains: []string{"localhost"}}
		srv := s3api.New(st, cfg)
		if es, ok := st.(*embedded.Store); ok {
			srv = es.Server(cfg)
		}
		if err := srv.Serve(ctx, ln, nil); err != nil {
			a.logger.Error("S3 server stopped", "addr", addr, "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}

// waitUnmount serves until the file system is unmounted (cairn unmount,
// umount) or the process is told to stop, which flushes and unmounts
// (and tells systemd it stops, when it runs the mount).
func waitUnmount(fsys *mount.FS) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	done := make(chan struct{})
	go func() { fsys.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-sig:
		sdnotify.Stopping("storing what is written, then unmounting")
		return fsys.Unmount()
	}
}

// reportReady tells a waiting parent (cairn mount without --foreground)
// that the mount is ready, or why it failed.
func reportReady(err error) {
	fd, convErr := strconv.Atoi(os.Getenv(readyFDEnv))
	if convErr != nil {
		return
	}
	os.Unsetenv(readyFDEnv)
	w := os.NewFile(uintptr(fd), "ready")
	defer w.Close()
	if err != nil {
		fmt.Fprintln(w, "error: "+err.Error())
		return
	}
	fmt.Fprintln(w, "ready")
}

// mountBackground starts this same command in the foreground as a new
// session and returns once it reports the mount ready (or failed).
func (a *app) mountBackground(args []string) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the cairn binary: %w", err)
	}
	log, err := openMountLog(args[1])
	if err != nil {
		return err
	}
	defer log.Close()
	proc, err := os.StartProcess(self, append([]string{self}, a.args...), &os.ProcAttr{
		Env:   append(backgroundEnv(), readyFDEnv+"=3"),
		Files: []*os.File{nil, log, log, w},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	w.Close()
	if err != nil {
		return fmt.Errorf("start the mount: %w", err)
	}
	status, _ := readLine(r)
	if status == "ready" {
		fmt.Fprintf(a.stdout, "mounted %s on %s (pid %d, log %s)\n", args[0], args[1], proc.Pid, log.Name())
		proc.Release()
		return nil
	}
	st, _ := proc.Wait()
	if msg, ok := strings.CutPrefix(status, "error: "); ok {
		return errors.New(msg)
	}
	return fmt.Errorf("the mount exited (%v) before it was ready; see %s", st, log.Name())
}

// backgroundEnv is the environment of a background mount: this one
// without systemd's notify socket, since the mount runs apart from the
// process systemd started, which reports for it.
func backgroundEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "NOTIFY_SOCKET=") || strings.HasPrefix(kv, "WATCHDOG_")
	})
}

// openMountLog opens the log file of a background mount, under the user
// cache directory.
func openMountLog(mountpoint string) (*os.File, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := base + "/cairn"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	name := strings.Trim(strings.ReplaceAll(mountpoint, "/", "-"), "-")
	return os.OpenFile(dir+"/mount-"+name+".log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
}

func readLine(f *os.File) (string, error) {
	var b []byte
	buf := make([]byte, 1)
	for {
		n, err := f.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return string(b), nil
			}
			b = append(b, buf[0])
		}
		if err != nil {
			return string(b), err
		}
	}
}

func newUnmountCmd(a *app) *cobra.Command {
	var lazy bool
	cmd := &cobra.Command{
		Use:   "unmount MOUNTPOINT",
		Short: "Unmount a cairn mount",
		Long: `Unmount a directory mounted with cairn mount. Every file closed in it is
stored first (files still uploading in the background are waited for); a
mount with files still open is busy and stays mounted,
unless --lazy detaches it now and lets it end when they close. A mount of
a running cairn daemon is unmounted by the daemon, which stores what is
written first.`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if dir, err := filepath.Abs(args[0]); err == nil {
				if handled, err := a.unmountViaDaemon(cmd.Context(), dir); handled {
					return err
				}
			}
			flags := 0
			if lazy {
				flags = lazyUnmountFlag
			}
			storeWritten(cmd.ErrOrStderr(), args[0])
			err := syscall.Unmount(args[0], flags)
			switch {
			case errors.Is(err, syscall.EBUSY):
				return fmt.Errorf("%s is busy: close the files open in it, or use --lazy", args[0])
			case errors.Is(err, syscall.EINVAL):
				return fmt.Errorf("%s is not a mount point", args[0])
			case err != nil:
				return fmt.Errorf("unmount %s: %w", args[0], err)
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&lazy, "lazy", false, "detach now even if busy; the mount ends when its files are closed")
	return cmd
}

// storeWritten waits until the mount on dir has stored every file
// written in it: fsync of a cairn mount's root waits for its uploads.
// A failure is reported; the mount stores what is left when it ends.
func storeWritten(w io.Writer, dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		fmt.Fprintf(w, "warning: storing the files written in %s: %v\n", dir, err)
	}
}
