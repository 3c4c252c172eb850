package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The data every contender holds before the workloads: two large files
// (one read in order, one at random), a flat directory and a tree.
const (
	bigFile   = "big.bin"
	randFile  = "rand.bin"
	lsDir     = "ls"
	treeDir   = "tree"
	smallSize = 256
	// mountDirs is the number of directories of the tree.
	mountDirs = 100
)

// dataNeeds says which parts of the data the chosen workloads read.
type dataNeeds struct {
	big, rand, ls, tree bool
}

// pattern is the content of the large files: pseudo-random bytes of an
// odd length, repeated, so that no block of a file is like its
// neighbours at the same alignment.
type pattern []byte

// newPattern makes a pattern of a little more than 1 MiB.
func newPattern() pattern {
	p := make(pattern, 1<<20+13)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range p {
		p[i] = byte(r.Uint32())
	}
	return p
}

// patternReader reads size bytes of a pattern; it seeks, so that the SDK
// can sign and send it.
type patternReader struct {
	p         pattern
	off, size int64
}

func (r *patternReader) Read(b []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), r.size-r.off)]
	n := 0
	for n < len(b) {
		n += copy(b[n:], r.p[(r.off+int64(n))%int64(len(r.p)):])
	}
	r.off += int64(n)
	return n, nil
}

func (r *patternReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += r.off
	case io.SeekEnd:
		off += r.size
	}
	if off < 0 {
		return 0, errors.New("seek before the start")
	}
	r.off = off
	return off, nil
}

// smallKeys are the relative paths of the small files the needs ask for.
func smallKeys(needs dataNeeds, entries int) []string {
	var keys []string
	if needs.ls {
		for i := range entries {
			keys = append(keys, fmt.Sprintf("%s/e%05d", lsDir, i))
		}
	}
	if needs.tree {
		per := entries / mountDirs
		for d := range mountDirs {
			for i := range per {
				keys = append(keys, fmt.Sprintf("%s/d%03d/f%05d", treeDir, d, i))
			}
		}
	}
	return keys
}

// fileMetadata is the s3fs metadata of a file written through a mount: a
// regular file 0644 of root, with its mtime.
func fileMetadata(mtime time.Time) map[string]string {
	return map[string]string{"mode": "33188", "uid": "0", "gid": "0", "mtime": strconv.FormatInt(mtime.Unix(), 10)}
}

// populateBucket creates a bucket and fills it with the data.
func (l *lab) populateBucket(ctx context.Context, bucket string, needs dataNeeds, size int64, keys []string, p pattern) error {
	if _, err := l.s3.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucket, err)
	}
	for _, f := range largeFiles(needs) {
		if err := l.putObject(ctx, bucket, f, &patternReader{p: p, size: size}, size); err != nil {
			return err
		}
	}
	small := bytes.Repeat([]byte("x"), smallSize)
	return parallel(ctx, 32, len(keys), func(i int) error {
		return l.putObject(ctx, bucket, keys[i], bytes.NewReader(small), smallSize)
	})
}

// largeFiles names the large files the needs ask for.
func largeFiles(needs dataNeeds) []string {
	var out []string
	if needs.big {
		out = append(out, bigFile)
	}
	if needs.rand {
		out = append(out, randFile)
	}
	return out
}

// putObject stores one object with the metadata of a mounted file.
func (l *lab) putObject(ctx context.Context, bucket, key string, body io.ReadSeeker, size int64) error {
	_, err := l.s3.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: body,
		ContentLength: aws.Int64(size), Metadata: fileMetadata(time.Now()),
	})
	if err != nil {
		return fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return nil
}

// populateLocal writes the same data into a local directory, and syncs it.
func populateLocal(ctx context.Context, dir string, needs dataNeeds, size int64, keys []string, p pattern) error {
	for _, f := range largeFiles(needs) {
		if err := writeLocal(filepath.Join(dir, f), &patternReader{p: p, size: size}); err != nil {
			return err
		}
	}
	small := bytes.Repeat([]byte("x"), smallSize)
	err := parallel(ctx, 8, len(keys), func(i int) error {
		path := filepath.Join(dir, keys[i])
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
		}
		return os.WriteFile(path, small, 0o644)
	})
	if err != nil {
		return err
	}
	return syncFS(dir)
}

// writeLocal writes r into a new file at path.
func writeLocal(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}

// parallel runs fn(0..n-1) on workers goroutines and returns the first
// error; it stops handing out work once one fails.
func parallel(ctx context.Context, workers, n int, fn func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// openIn starts a GET of bucket/key; the caller reads the body and closes
// it.
func (c *sdkClient) openIn(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	out, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	return out.Body, nil
}
