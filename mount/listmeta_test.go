package mount

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// plainListing is a Store whose listings carry no user metadata, as
// plain S3's do.
type plainListing struct{ objstore.Store }

func (p *plainListing) ListObjects(ctx context.Context, bucket string, opts objstore.ListOptions) (objstore.ListResult, error) {
	opts.WithMetadata = false
	return p.Store.ListObjects(ctx, bucket, opts)
}

// TestLongListingWithoutHeads lists a directory as ls -l does (readdir,
// then a stat of every entry) on a store whose listings carry the
// objects' metadata: every file shows its own mode, owner and mtime, and
// the store is asked for no HEAD; on a plain listing the same stats need
// one per file.
func TestLongListingWithoutHeads(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			var st objstore.Store = newStore(t)
			if plain {
				st = &plainListing{Store: st}
			}
			heads := &headCounter{Store: st}
			const n = 60
			for i := range n {
				meta := map[string]string{"mode": strconv.Itoa(syscall.S_IFREG | 0o600 + i%8), "uid": strconv.Itoa(2000 + i), "mtime": strconv.Itoa(1600000000 + i)}
				put(t, heads, fmt.Sprintf("ls/f%02d", i), "x", meta)
			}
			_, dir := mountStore(t, heads, Options{})
			if _, err := os.Stat(filepath.Join(dir, "ls")); err != nil { // its own HEAD
				t.Fatal(err)
			}
			heads.heads.Store(0)
			if got := len(names(t, filepath.Join(dir, "ls"))); got != n {
				t.Fatalf("listed %d entries, want %d", got, n)
			}
			for i := range n {
				fi, err := os.Lstat(filepath.Join(dir, "ls", fmt.Sprintf("f%02d", i)))
				if err != nil {
					t.Fatal(err)
				}
				s := fi.Sys().(*syscall.Stat_t)
				if s.Uid != uint32(2000+i) || s.Mode != uint32(syscall.S_IFREG|0o600+i%8) || fi.ModTime().Unix() != int64(1600000000+i) {
					t.Fatalf("f%02d: uid %d mode %o mtime %v", i, s.Uid, s.Mode, fi.ModTime())
				}
			}
			switch h := heads.heads.Load(); {
			case !plain && h != 0:
				t.Errorf("ls -l on a listing with metadata made %d HEADs, want none", h)
			case plain && h < n:
				t.Errorf("ls -l on a plain listing made %d HEADs for %d files: where did the attributes come from?", h, n)
			}
		})
	}
}

// listCounter is a Store that counts ListObjects calls.
type listCounter struct {
	objstore.Store
	lists atomic.Int32
}

func (c *listCounter) ListObjects(ctx context.Context, bucket string, opts objstore.ListOptions) (objstore.ListResult, error) {
	c.lists.Add(1)
	return c.Store.ListObjects(ctx, bucket, opts)
}

// TestFillNewDirectoryWithoutListingEach creates files in a directory
// made through the mount, as tar x does: the lookups of the new names
// are answered from the directory's own listing, not with a listing
// request each, and the directory then lists every file.
func TestFillNewDirectoryWithoutListingEach(t *testing.T) {
	st := &listCounter{Store: newStore(t)}
	fsys, dir := mountStore(t, st, Options{MetadataTTL: time.Minute})
	if err := os.Mkdir(filepath.Join(dir, "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	st.lists.Store(0)
	const n = 40
	var want []string
	for i := range n {
		name := fmt.Sprintf("f%02d", i)
		want = append(want, name)
		if err := os.WriteFile(filepath.Join(dir, "new", name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if l := st.lists.Load(); l > 2 {
		t.Errorf("creating %d files in a new directory made %d listings", n, l)
	}
	if _, err := os.Stat(filepath.Join(dir, "new", "absent")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stat of a name never made: %v", err)
	}
	settle(t, fsys)
	if got := names(t, filepath.Join(dir, "new")); !slices.Equal(got, want) {
		t.Errorf("new lists %v", got)
	}
}
