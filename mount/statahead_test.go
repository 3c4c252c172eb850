package mount

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// TestListingShowsEachEntrysOwnAttrs lists a directory of files that
// each carry their own owner and mode, as ls -l does (readdir, then a
// stat of every entry): every file shows its own, read ahead of the
// stats, and a change made in the store afterwards shows once the
// metadata TTL has passed.
func TestListingShowsEachEntrysOwnAttrs(t *testing.T) {
	t.Run("listing with metadata", func(t *testing.T) { checkEntrysOwnAttrs(t, newStore(t)) })
	t.Run("plain listing", func(t *testing.T) { checkEntrysOwnAttrs(t, &plainListing{Store: newStore(t)}) })
}

func checkEntrysOwnAttrs(t *testing.T, st objstore.Store) {
	const n = 150
	for i := range n {
		meta := map[string]string{"mode": strconv.Itoa(syscall.S_IFREG | 0o600 + i%0o100), "uid": strconv.Itoa(1000 + i)}
		put(t, st, fmt.Sprintf("d/f%03d", i), "x", meta)
	}
	put(t, st, "d/sub/inner", "y", nil)
	ttl := 200 * time.Millisecond
	_, dir := mountStore(t, st, Options{MetadataTTL: ttl})

	entries, err := os.ReadDir(filepath.Join(dir, "d"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n+1 {
		t.Fatalf("d lists %d entries, want %d", len(entries), n+1)
	}
	for i := range n {
		var s syscall.Stat_t
		path := filepath.Join(dir, "d", fmt.Sprintf("f%03d", i))
		if err := syscall.Lstat(path, &s); err != nil {
			t.Fatal(err)
		}
		if s.Uid != uint32(1000+i) || s.Mode != uint32(syscall.S_IFREG|0o600+i%0o100) {
			t.Fatalf("%s: uid %d mode %o, want %d and %o", path, s.Uid, s.Mode, 1000+i, syscall.S_IFREG|0o600+i%0o100)
		}
	}
	if fi, err := os.Lstat(filepath.Join(dir, "d", "sub")); err != nil || !fi.IsDir() {
		t.Fatalf("d/sub: %v, %v; want a directory", fi, err)
	}

	put(t, st, "d/f000", "x", map[string]string{"mode": strconv.Itoa(syscall.S_IFREG | 0o644), "uid": "42"})
	time.Sleep(ttl + 50*time.Millisecond)
	var s syscall.Stat_t
	if err := syscall.Lstat(filepath.Join(dir, "d", "f000"), &s); err != nil {
		t.Fatal(err)
	}
	if s.Uid != 42 || s.Mode&0o777 != 0o644 {
		t.Fatalf("d/f000 after a change in the store: uid %d mode %o, want 42 and 0644", s.Uid, s.Mode)
	}
}

// headCounter is a Store that counts HeadObject calls.
type headCounter struct {
	objstore.Store
	heads atomic.Int32
}

func (c *headCounter) HeadObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (objstore.ObjectInfo, error) {
	c.heads.Add(1)
	return c.Store.HeadObject(ctx, bucket, key, opts)
}

// TestWalkWithoutHeadPerFile walks a tree as find does (a readdir of
// every directory, lookups of directories only): the walk sees every
// file, and the store is asked for the attributes of the directories, not
// of the files, whether they are alone in a directory or next to
// directories.
func TestWalkWithoutHeadPerFile(t *testing.T) {
	st := &headCounter{Store: newStore(t)}
	const dirs, files = 4, 50
	for d := range dirs {
		for i := range files {
			put(t, st, fmt.Sprintf("tree/d%d/f%02d", d, i), "x", nil)
		}
		// Files next to the directories, after each in order.
		put(t, st, fmt.Sprintf("tree/d%d.txt", d), "x", nil)
	}
	_, dir := mountStore(t, st, Options{})
	st.heads.Store(0)
	seen := 0
	err := filepath.WalkDir(filepath.Join(dir, "tree"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			seen++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != dirs*(files+1) {
		t.Fatalf("walk saw %d files, want %d", seen, dirs*(files+1))
	}
	if n := st.heads.Load(); n > 2*dirs {
		t.Fatalf("walk of %d files in %d directories made %d HEADs, want about one a directory", dirs*(files+1), dirs, n)
	}
}
