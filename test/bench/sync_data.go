package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// dataset is a source tree every contender syncs: files of one size,
// spread over dirs directories (none: all at the top).
type dataset struct {
	// name is what -cases matches, and the prefix the tree goes to.
	name  string
	files int
	size  int64
	dirs  int
}

// syncDatasets are the trees of the issue: 10,000 files of 4 KiB in 100
// directories, and 1 GiB in files of 64 MiB; -short makes them 1,000
// files and 256 MiB.
func syncDatasets(short bool) []dataset {
	small, large := 10_000, int64(1<<30)
	if short {
		small, large = 1_000, 256<<20
	}
	const big = 64 << 20
	return []dataset{
		{name: "small", files: small, size: 4 << 10, dirs: small / 100},
		{name: "large", files: int(large / big), size: big},
	}
}

// title describes the tree in the table.
func (ds dataset) title() string {
	if ds.dirs > 0 {
		return fmt.Sprintf("%s files of %s", thousands(ds.files), formatSize(ds.size))
	}
	return fmt.Sprintf("%s in %d files of %s", formatSize(int64(ds.files)*ds.size), ds.files, formatSize(ds.size))
}

// bytes is the tree's total size.
func (ds dataset) bytes() int64 { return int64(ds.files) * ds.size }

// rel is the relative path of file i.
func (ds dataset) rel(i int) string {
	if ds.dirs == 0 {
		return fmt.Sprintf("f%05d.bin", i)
	}
	return fmt.Sprintf("d%03d/f%05d.bin", i%ds.dirs, i)
}

// restAge is how long ago the files of a source tree were last modified,
// as far as their mtimes say: long enough that no contender takes one for
// a file still being written (cairn sync leaves those, modified within
// its --settle, for a later pass).
const restAge = time.Hour

// writeSource writes the tree into dir, every file of its own random
// content (so that no sync can take one for a copy or a rename of
// another) and dated restAge back, and flushes it to the disk, so that no
// contender pays for its write-back.
func writeSource(ctx context.Context, dir string, ds dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for d := range ds.dirs {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", d))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", sub, err)
		}
	}
	rest := time.Now().Add(-restAge)
	err := parallel(ctx, 4, ds.files, func(i int) error {
		path := filepath.Join(dir, filepath.FromSlash(ds.rel(i)))
		if err := writeRandomFile(path, ds.size, seedOf(ds.name, i)); err != nil {
			return err
		}
		if err := os.Chtimes(path, rest, rest); err != nil {
			return fmt.Errorf("date %s: %w", path, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return syncFS(dir)
}

// seedOf is the seed of the content of file i of a tree.
func seedOf(name string, i int) [32]byte {
	var seed [32]byte
	copy(seed[:], name)
	binary.LittleEndian.PutUint64(seed[24:], uint64(i))
	return seed
}

// writeRandomFile writes size bytes of a ChaCha8 stream from seed to a
// new file at path.
func writeRandomFile(path string, size int64, seed [32]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	src := rand.NewChaCha8(seed)
	buf := make([]byte, min(size, 1<<20))
	for left := size; left > 0; left -= int64(len(buf)) {
		buf = buf[:min(left, int64(len(buf)))]
		src.Read(buf)
		if _, err := w.Write(buf); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}

// linkTree makes dst a copy of the tree src whose files are hard links
// to src's: the same bytes and mtimes for every contender, at no cost.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", src, err)
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return fmt.Errorf("walk %s: %w", src, err)
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			if err := os.MkdirAll(to, 0o755); err != nil {
				return fmt.Errorf("create %s: %w", to, err)
			}
			return nil
		}
		if err := os.Link(path, to); err != nil {
			return fmt.Errorf("link %s: %w", to, err)
		}
		return nil
	})
}

// createBucket creates a bucket of the server.
func (r *syncRig) createBucket(ctx context.Context, bucket string) error {
	if _, err := r.s3.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucket, err)
	}
	return nil
}

// stored counts the objects below prefix that are not directory markers,
// and their bytes.
func (r *syncRig) stored(ctx context.Context, bucket, prefix string) (n int, size int64, err error) {
	p := s3.NewListObjectsV2Paginator(r.s3.s3, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("list %s/%s: %w", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			if !strings.HasSuffix(aws.ToString(o.Key), "/") {
				n++
				size += aws.ToInt64(o.Size)
			}
		}
	}
	return n, size, nil
}

// checkStored fails unless the server holds the whole tree below prefix.
func (r *syncRig) checkStored(ctx context.Context, bucket, prefix string, ds dataset) error {
	n, size, err := r.stored(ctx, bucket, prefix)
	if err != nil {
		return err
	}
	if n != ds.files || size != ds.bytes() {
		return fmt.Errorf("s3://%s/%s holds %d files of %d bytes, want %d of %d: %w", bucket, prefix, n, size, ds.files, ds.bytes(), errShort)
	}
	return nil
}
