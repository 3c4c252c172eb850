package mount

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestListingShowsEachEntrysOwnAttrs lists a directory of files that
// each carry their own owner and mode, as ls -l does (readdir, then a
// stat of every entry): every file shows its own, read ahead of the
// stats, and a change made in the store afterwards shows once the
// metadata TTL has passed.
func TestListingShowsEachEntrysOwnAttrs(t *testing.T) {
	st := newStore(t)
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
