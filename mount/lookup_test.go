package mount

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
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

// heldListing holds the next delimited listing of the bucket's root
// once armed, until released.
type heldListing struct {
	objstore.Store
	armed    atomic.Bool
	arrived  chan struct{}
	released chan struct{}
	once     sync.Once
}

func newHeldListing(t *testing.T, st objstore.Store) *heldListing {
	h := &heldListing{Store: st, arrived: make(chan struct{}, 1), released: make(chan struct{})}
	t.Cleanup(h.release) // before the unmount
	return h
}

// release lets the held listing answer.
func (h *heldListing) release() { h.once.Do(func() { close(h.released) }) }

func (h *heldListing) ListObjects(ctx context.Context, bucket string, opts objstore.ListOptions) (objstore.ListResult, error) {
	if opts.Prefix == "" && opts.Delimiter == "/" && h.armed.CompareAndSwap(true, false) {
		r, err := h.Store.ListObjects(ctx, bucket, opts)
		h.arrived <- struct{}{}
		<-h.released
		return r, err
	}
	return h.Store.ListObjects(ctx, bucket, opts)
}

// TestFileStoredWhileDirectoryListed stores a new file while a lookup
// lists its directory again, the listing made before the file was
// stored: the file still exists for the lookups that follow, which the
// listing, fresh but older than the upload, must not answer.
func TestFileStoredWhileDirectoryListed(t *testing.T) {
	st := newGatedStore(t)
	held := newHeldListing(t, st)
	fsys, dir := mountStore(t, held, Options{MetadataTTL: time.Millisecond})
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	<-st.started // its upload is held
	if _, err := os.ReadDir(dir); err != nil {
		t.Fatal(err)
	}
	held.armed.Store(true)
	var done atomic.Bool
	go func() { // looks up a name never made until a lookup lists the root again
		for !done.Load() {
			os.Stat(filepath.Join(dir, "other"))
		}
	}()
	<-held.arrived // listed without f
	st.open()
	for fsys.Pending() != 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // a listing this slow stays fresh for twice as long
	done.Store(true)
	held.release()
	if b, err := os.ReadFile(p); err != nil || string(b) != "kept" {
		t.Errorf("the file stored while its directory was listed: %q, %v", b, err)
	}
}
