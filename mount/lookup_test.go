package mount

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestLookupWithoutListing stats names of a directory never listed: a
// name that is both an object and a prefix is the directory, names that
// only start another are missing, and files and directory markers are
// what they are.
func TestLookupWithoutListing(t *testing.T) {
	st := newStore(t)
	for _, k := range []string{"a/x", "a/x/y", "a/x.txt", "a/x-1", "a/m/"} {
		put(t, st, k, "", nil)
	}
	_, dir := mountStore(t, st, Options{})
	for name, want := range map[string]string{"x": "dir", "x.txt": "file", "x-1": "file", "m": "dir", "x-": "none", "nothing": "none", "x.tx": "none"} {
		fi, err := os.Lstat(filepath.Join(dir, "a", name))
		got := "none"
		switch {
		case err == nil && fi.IsDir():
			got = "dir"
		case err == nil:
			got = "file"
		case !errors.Is(err, fs.ErrNotExist):
			t.Fatalf("a/%s: %v", name, err)
		}
		if got != want {
			t.Errorf("a/%s is a %s, want %s", name, got, want)
		}
	}
}
