package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sys/unix"
)

// dropCaches writes back dirty pages and drops the kernel's page, dentry
// and inode caches, so that the next read comes from the disk (root
// only).
func dropCaches() error {
	unix.Sync()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0o200); err != nil {
		return fmt.Errorf("drop the page cache (cold runs need root): %w", err)
	}
	return nil
}

// syncFS flushes the file system holding dir to the disk.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return fmt.Errorf("syncfs %s: %w", dir, err)
	}
	return nil
}

// storedTimeout bounds the wait for a mount to store what it was given.
const storedTimeout = 10 * time.Minute

// settle makes what was written durable where the contender keeps it:
// the local disk is synced; for a mount, it waits until the server holds
// what is named (some mounts upload after close returns).
func (l *lab) settle(ctx context.Context, c *contender, stored func(context.Context) (bool, error)) error {
	if !c.mounted() {
		return syncFS(c.dir)
	}
	deadline := time.Now().Add(storedTimeout)
	for {
		ok, err := stored(ctx)
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not stored on the server within %v", c.name, storedTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// objectOfSize reports whether the server holds key of that size.
func (l *lab) objectOfSize(bucket, key string, size int64) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		out, err := l.s3.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			if ctx.Err() != nil {
				return false, ctx.Err()
			}
			return false, nil
		}
		return aws.ToInt64(out.ContentLength) == size, nil
	}
}

// filesUnder reports whether the server holds n objects (directory
// markers aside) below prefix.
func (l *lab) filesUnder(bucket, prefix string, n int) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		got, err := l.countFiles(ctx, bucket, prefix)
		return got >= n, err
	}
}

// countFiles counts the objects below prefix that are not directory
// markers.
func (l *lab) countFiles(ctx context.Context, bucket, prefix string) (int, error) {
	n := 0
	p := s3.NewListObjectsV2Paginator(l.s3.s3, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("list %s/%s: %w", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			if !strings.HasSuffix(aws.ToString(o.Key), "/") {
				n++
			}
		}
	}
	return n, nil
}

// errShort reports a workload that did less than it was asked to.
var errShort = errors.New("workload did less than asked")
