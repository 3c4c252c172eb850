package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// contender is one file system the mount suite runs its workloads on: a
// FUSE mount of its own bucket of the shared cairn serve, or a directory
// of the local disk.
type contender struct {
	name string
	// bucket is the contender's bucket; "" for the local disk.
	bucket string
	// dir is where the workloads run: the mountpoint, or the local
	// directory.
	dir  string
	proc *proc
}

// Contender names, in the order of the table's columns.
const (
	cLocal        = "local"
	cCairn        = "cairn"
	cS3fs         = "s3fs"
	cRcloneWrites = "rclone-writes"
	cRcloneFull   = "rclone-full"
)

// contenderNames lists every contender, the ceiling first.
var contenderNames = []string{cLocal, cCairn, cS3fs, cRcloneWrites, cRcloneFull}

// mounted tells whether the contender is a mount of the server.
func (c *contender) mounted() bool { return c.bucket != "" }

// lab is the mount suite's world: one cairn serve, and the contenders on
// it, each in directories of its own below root.
type lab struct {
	root     string
	bin      string
	logs     string
	endpoint string
	serve    *proc
	s3       *sdkClient
	all      []*contender
	// pattern is the content of the large files.
	pattern pattern
	// wasRead tells which contenders have read the large file.
	wasRead map[string]bool
	// tarball is the source tree the untar workload unpacks, holding
	// tarFiles regular files.
	tarball  string
	tarFiles int
}

// bucketOf is the bucket a contender's data lives in.
func bucketOf(name string) string { return "mnt-" + name }

// contender returns the contender of that name.
func (l *lab) contender(name string) *contender {
	for _, c := range l.all {
		if c.name == name {
			return c
		}
	}
	return nil
}

// private is a directory of the contender's own below the lab root.
func (l *lab) private(c *contender, what string) (string, error) {
	dir := filepath.Join(l.root, what, c.name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return dir, nil
}

// mountAll mounts every contender but the local disk on its bucket.
func (l *lab) mountAll(ctx context.Context) error {
	for _, c := range l.all {
		if !c.mounted() {
			continue
		}
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return fmt.Errorf("create mountpoint: %w", err)
		}
		p, err := l.startMount(c)
		if err != nil {
			return err
		}
		c.proc = p
		if err := waitMounted(ctx, p, c.dir); err != nil {
			return err
		}
	}
	return nil
}

// startMount starts the FUSE daemon of a contender in the foreground.
func (l *lab) startMount(c *contender) (*proc, error) {
	switch c.name {
	case cCairn:
		return l.startCairn(c)
	case cS3fs:
		return l.startS3fs(c)
	case cRcloneWrites:
		return l.startRclone(c, "writes")
	case cRcloneFull:
		return l.startRclone(c, "full")
	}
	return nil, fmt.Errorf("no mount for contender %s", c.name)
}

// startCairn runs cairn mount --endpoint on the server, with its block
// cache and staging directories of its own, empty at the start.
func (l *lab) startCairn(c *contender) (*proc, error) {
	cache, err := l.private(c, "cache")
	if err != nil {
		return nil, err
	}
	staging, err := l.private(c, "staging")
	if err != nil {
		return nil, err
	}
	home, err := l.private(c, "home")
	if err != nil {
		return nil, err
	}
	env := append(serveEnv(), "XDG_CACHE_HOME="+home)
	return startProc(c.name, l.logs, env, l.bin, "--endpoint", l.endpoint, "--data", home,
		"mount", "--foreground", "--cache-dir", cache, "--staging-dir", staging, "s3://"+c.bucket, c.dir)
}

// startS3fs runs s3fs in the foreground with its defaults, path-style
// requests signed with SigV4.
func (l *lab) startS3fs(c *contender) (*proc, error) {
	home, err := l.private(c, "home")
	if err != nil {
		return nil, err
	}
	passwd := filepath.Join(home, "passwd")
	cred := benchCredential.AccessKey + ":" + benchCredential.SecretKey + "\n"
	if err := os.WriteFile(passwd, []byte(cred), 0o600); err != nil {
		return nil, fmt.Errorf("write s3fs password file: %w", err)
	}
	return startProc(c.name, l.logs, nil, "s3fs", c.bucket, c.dir, "-f",
		"-o", "passwd_file="+passwd, "-o", "url="+l.endpoint, "-o", "use_path_request_style",
		"-o", "endpoint="+benchRegion, "-o", "sigv4")
}

// startRclone runs rclone mount with a VFS cache mode, on an S3 remote
// configured in its environment, with a cache directory of its own.
func (l *lab) startRclone(c *contender, mode string) (*proc, error) {
	cache, err := l.private(c, "cache")
	if err != nil {
		return nil, err
	}
	home, err := l.private(c, "home")
	if err != nil {
		return nil, err
	}
	conf := filepath.Join(home, "rclone.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		return nil, fmt.Errorf("write rclone config: %w", err)
	}
	env := []string{
		"RCLONE_CONFIG_CAIRN_TYPE=s3", "RCLONE_CONFIG_CAIRN_PROVIDER=Other",
		"RCLONE_CONFIG_CAIRN_ENDPOINT=" + l.endpoint, "RCLONE_CONFIG_CAIRN_REGION=" + benchRegion,
		"RCLONE_CONFIG_CAIRN_ACCESS_KEY_ID=" + benchCredential.AccessKey,
		"RCLONE_CONFIG_CAIRN_SECRET_ACCESS_KEY=" + benchCredential.SecretKey,
		"RCLONE_CONFIG_CAIRN_FORCE_PATH_STYLE=true",
		// rclone fails on a CA bundle set for the AWS tools; the server is plain HTTP.
		"AWS_CA_BUNDLE=",
	}
	return startProc(c.name, l.logs, env, "rclone", "mount", "cairn:"+c.bucket, c.dir,
		"--config", conf, "--cache-dir", cache, "--vfs-cache-mode", mode, "--vfs-write-back", rcloneWriteBack.String())
}

// rcloneWriteBack is how long rclone waits after a file's last close
// before it uploads it (default 5s). The suite times writes until they
// are stored, so it asks for no such wait.
const rcloneWriteBack = time.Duration(0)

// teardown unmounts every contender and stops every process, whatever
// state the run left them in.
func (l *lab) teardown() error {
	var errs []error
	for _, c := range l.all {
		if !c.mounted() {
			continue
		}
		if err := unmount(c.dir); err != nil {
			errs = append(errs, err)
		}
		if c.proc != nil {
			c.proc.stop(15 * time.Second)
		}
	}
	if l.serve != nil {
		l.serve.stop(15 * time.Second)
	}
	if l.s3 != nil {
		l.s3.close()
	}
	if err := unmountBelow(l.root); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
