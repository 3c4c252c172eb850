package mount

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// gatedStore holds every PutObject until its gate opens, and fails them
// while fail is set.
type gatedStore struct {
	objstore.Store
	gate     chan struct{} // closed: puts go through
	openOnce sync.Once
	started  chan string // the key of each put that reached the gate
	fail     atomic.Bool
	failed   chan string // the key of each put failed
}

func newGatedStore(t *testing.T) *gatedStore {
	s := &gatedStore{Store: newStore(t), gate: make(chan struct{}), started: make(chan string, 100), failed: make(chan string, 100)}
	t.Cleanup(s.open) // before the unmount, which stores what is left
	return s
}

// open lets the puts through.
func (s *gatedStore) open() { s.openOnce.Do(func() { close(s.gate) }) }

func (s *gatedStore) PutObject(ctx context.Context, bucket, key string, r io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	if strings.HasSuffix(key, "/") { // directory markers pass
		return s.Store.PutObject(ctx, bucket, key, r, opts)
	}
	if s.fail.Load() {
		s.failed <- key
		return objstore.ObjectInfo{}, errors.New("injected upload failure")
	}
	s.started <- key
	<-s.gate
	return s.Store.PutObject(ctx, bucket, key, r, opts)
}

// TestCloseReturnsBeforeUpload closes a new file while the store holds
// its upload: close succeeds, and the file is read, listed and stat'ed
// from its staged copy until it is stored.
func TestCloseReturnsBeforeUpload(t *testing.T) {
	st := newGatedStore(t)
	fsys, dir := mountStore(t, st, Options{})
	p := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(p, []byte("not stored yet"), 0o600); err != nil {
		t.Fatalf("write and close with the upload held: %v", err)
	}
	if key := <-st.started; key != "a.txt" || exists(t, st, "a.txt") {
		t.Fatalf("upload of %s started; stored already: %v", key, exists(t, st, "a.txt"))
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "not stored yet" {
		t.Errorf("read of the pending file: %q %v", b, err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Size() != 14 || fi.Mode().Perm() != 0o600 {
		t.Errorf("stat of the pending file: %v %v", fi, err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"a.txt"}) {
		t.Errorf("listing with the upload pending: %v", got)
	}
	if n := fsys.Pending(); n != 1 {
		t.Errorf("Pending() = %d, want 1", n)
	}
	st.open()
	settle(t, fsys)
	if b, _ := get(t, st, "a.txt"); string(b) != "not stored yet" {
		t.Errorf("stored %q", b)
	}
	if n := fsys.Pending(); n != 0 {
		t.Errorf("Pending() = %d after Sync", n)
	}
}

// TestFsyncWaitsForUpload fsyncs a file whose upload the store holds:
// once fsync returns, the store has the file.
func TestFsyncWaitsForUpload(t *testing.T) {
	st := newGatedStore(t)
	_, dir := mountStore(t, st, Options{})
	f, err := os.Create(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("durable"); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-st.started
		st.open()
	}()
	if err := f.Sync(); err != nil {
		t.Fatalf("fsync: %v", err)
	}
	if b, _ := get(t, st, "f"); string(b) != "durable" {
		t.Errorf("stored %q when fsync returned", b)
	}
}

// TestRenameAndUnlinkOfPendingFiles renames and deletes files whose
// upload is under way or waiting for a place: the store ends with the
// renamed file under its new name only, nothing of the deleted ones,
// and the upload of the one deleted while it waited never starts.
func TestRenameAndUnlinkOfPendingFiles(t *testing.T) {
	st := newGatedStore(t)
	fsys, dir := mountStore(t, st, Options{WriteBackConcurrency: 1})
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("in-flight")
	if key := <-st.started; key != "in-flight" {
		t.Fatalf("first upload: %s", key)
	}
	write("moved")        // waits for the one upload place
	write("gone-waiting") // too
	if err := os.Remove(filepath.Join(dir, "gone-waiting")); err != nil {
		t.Fatalf("unlink of a file waiting for its upload: %v", err)
	}
	done := make(chan error, 2)
	go func() { done <- os.Rename(filepath.Join(dir, "moved"), filepath.Join(dir, "new-name")) }()
	go func() { done <- os.Remove(filepath.Join(dir, "in-flight")) }()
	st.open()
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	settle(t, fsys)
	if keys := allKeys(t, st); !slices.Equal(keys, []string{"new-name"}) {
		t.Errorf("store holds %v after the renames and deletes, want only new-name", keys)
	}
	if b, _ := get(t, st, "new-name"); string(b) != "moved" {
		t.Errorf("renamed pending file stored as %q", b)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"new-name"}) {
		t.Errorf("mount lists %v", got)
	}
	close(st.started)
	for key := range st.started {
		if key == "gone-waiting" {
			t.Errorf("the upload of a file deleted before it began was made")
		}
	}
}

// TestUploadFailureSurfaces fails the background upload of a closed
// file: the next close and fsync of it report EIO, its journal record
// stays, and once the store works again fsync stores it.
func TestUploadFailureSurfaces(t *testing.T) {
	st := newGatedStore(t)
	st.open()
	st.fail.Store(true)
	staging := t.TempDir()
	log, retrying := noticeLogger(retryMessage)
	fsys, dir := mountStore(t, st, Options{StagingDir: staging, Logger: log})
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("keep me"), 0o644); err != nil {
		t.Fatalf("close before the upload: %v", err)
	}
	<-retrying // the mount has taken the failure in, not just the store made it
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); !errors.Is(err, syscall.EIO) {
		t.Errorf("close after a failed upload: %v, want EIO", err)
	}
	f, err = os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); !errors.Is(err, syscall.EIO) {
		t.Errorf("fsync while the store fails: %v, want EIO", err)
	}
	if recs := journalRecords(t, staging); len(recs) != 1 {
		t.Errorf("journal records while the upload fails: %v", recs)
	}
	st.fail.Store(false)
	if err := f.Sync(); err != nil {
		t.Fatalf("fsync once the store works: %v", err)
	}
	if b, _ := get(t, st, "f"); string(b) != "keep me" {
		t.Errorf("stored %q", b)
	}
	if fsys.Pending() != 0 {
		t.Errorf("still pending after fsync stored it")
	}
}

// TestFsyncOfRootStoresEverything writes files in two directories with
// their uploads held, then fsyncs the mount's root: it returns once
// every one of them is stored.
func TestFsyncOfRootStoresEverything(t *testing.T) {
	st := newGatedStore(t)
	_, dir := mountStore(t, st, Options{})
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "sub/", "sub/b", "sub/c"}
	for _, name := range want {
		if !strings.HasSuffix(name, "/") {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	go func() {
		<-st.started
		st.open()
	}()
	syncPath(t, dir)
	for _, key := range want {
		if b, _ := get(t, st, key); string(b) != key && !strings.HasSuffix(key, "/") {
			t.Errorf("%s stored as %q when the root's fsync returned", key, b)
		}
	}
}

// TestManyPendingFilesListed creates more files than the background
// pool uploads at once, with the uploads held, and lists them all.
func TestManyPendingFilesListed(t *testing.T) {
	st := newGatedStore(t)
	fsys, dir := mountStore(t, st, Options{WriteBackConcurrency: 2})
	var want []string
	for i := range 20 {
		name := "f" + strings.Repeat("x", i)
		want = append(want, name)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	st.open()
	settle(t, fsys)
	if got := allKeys(t, st); !slices.Equal(got, want) {
		t.Errorf("stored %v", got)
	}
}

// TestFailedUploadRetriedInBackground fails the background upload of a
// closed file that nobody touches again: the mount tries it again on its
// own and stores it once the store works.
func TestFailedUploadRetriedInBackground(t *testing.T) {
	st := newGatedStore(t)
	st.open()
	st.fail.Store(true)
	fsys, dir := mountStore(t, st, Options{})
	if err := os.WriteFile(filepath.Join(dir, "later"), []byte("stored in the end"), 0o644); err != nil {
		t.Fatalf("close before the upload: %v", err)
	}
	<-st.failed // the upload after close
	<-st.failed // tried again, with no close, fsync or unmount
	st.fail.Store(false)
	for deadline := time.Now().Add(2 * retryMax); fsys.Pending() != 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the failed upload was never tried again")
		}
	}
	if b, _ := get(t, st, "later"); string(b) != "stored in the end" {
		t.Errorf("stored %q", b)
	}
}

// TestAttrsOfOpenFileJournaledAtClose changes the mode and owner of a
// file through its open descriptor, as tar does: once it is closed, with
// its upload held, the journal record has them, for a crash to keep.
func TestAttrsOfOpenFileJournaledAtClose(t *testing.T) {
	st := newGatedStore(t)
	staging := t.TempDir()
	_, dir := mountStore(t, st, Options{StagingDir: staging})
	f, err := os.Create(filepath.Join(dir, "x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("data")); err != nil {
		t.Fatal(err)
	}
	if err := f.Chown(1234, 5678); err != nil {
		t.Fatal(err)
	}
	if err := f.Chmod(0o640); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	<-st.started // the upload is held: the record stays
	recs := journalRecords(t, staging)
	if len(recs) != 1 {
		t.Fatalf("journal records %v, want one", recs)
	}
	if r := recs[0]; r.Mode&0o7777 != 0o640 || r.UID != 1234 || r.GID != 5678 {
		t.Errorf("journal record %+v, want mode 0640, owner 1234:5678", r)
	}
	st.open()
}
