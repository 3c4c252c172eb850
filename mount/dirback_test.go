package mount

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cairnfs/cairn/objstore"
)

// failingMarkers fails the PutObjects of directory markers while fail
// is set, and counts those that succeed.
type failingMarkers struct {
	objstore.Store
	fail atomic.Bool
	mu   sync.Mutex
	puts map[string]int
}

func newFailingMarkers(t *testing.T) *failingMarkers {
	m := &failingMarkers{Store: newStore(t), puts: map[string]int{}}
	m.fail.Store(true)
	return m
}

func (m *failingMarkers) PutObject(ctx context.Context, bucket, key string, r io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	if !strings.HasSuffix(key, "/") {
		return m.Store.PutObject(ctx, bucket, key, r, opts)
	}
	if m.fail.Load() {
		return objstore.ObjectInfo{}, errors.New("injected marker upload failure")
	}
	info, err := m.Store.PutObject(ctx, bucket, key, r, opts)
	if err == nil {
		m.mu.Lock()
		m.puts[key]++
		m.mu.Unlock()
	}
	return info, err
}

// count returns how many times the marker key was stored.
func (m *failingMarkers) count(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.puts[key]
}

// syncPath fsyncs the file or directory at path.
func syncPath(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatalf("fsync %s: %v", path, err)
	}
}

// TestDirectoryChangesWrittenBack makes a directory and sets its mode,
// owner and times, as tar does once it has filled it, while the store
// fails every marker upload: none of the calls needs the store, the
// directory shows the changes at once, and its fsync stores one marker
// that carries them all.
func TestDirectoryChangesWrittenBack(t *testing.T) {
	st := newFailingMarkers(t)
	_, dir := mountStore(t, st, Options{})
	d := filepath.Join(dir, "d")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatalf("mkdir with the store failing markers: %v", err)
	}
	if err := os.WriteFile(filepath.Join(d, "f"), []byte("f"), 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Unix(1600000000, 0)
	if err := os.Chtimes(d, mt, mt); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(d, 42, 43); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o751); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(d)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o751 || !fi.ModTime().Equal(mt) || fi.Sys().(*syscall.Stat_t).Uid != 42 {
		t.Errorf("stat of the directory before its marker is stored: %v %v", fi, err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"d"}) {
		t.Errorf("root lists %v", got)
	}
	st.fail.Store(false)
	syncPath(t, d)
	_, info := get(t, st, "d/")
	m := info.UserMetadata
	if m["mode"] != strconv.Itoa(syscall.S_IFDIR|0o751) || m["uid"] != "42" || m["gid"] != "43" || m["mtime"] != "1600000000" {
		t.Errorf("marker metadata %v", m)
	}
	if info.ContentType != dirContentType {
		t.Errorf("marker content type %q, want %q", info.ContentType, dirContentType)
	}
	if n := st.count("d/"); n != 1 {
		t.Errorf("marker stored %d times, want once", n)
	}
	if b, _ := get(t, st, "d/f"); string(b) != "f" {
		t.Errorf("d/f stored as %q", b)
	}
}

// TestPendingDirectoryListedAndRemoved makes directories whose markers
// are not stored yet: they are listed, hold one another, and one removed
// before its marker is stored is never stored.
func TestPendingDirectoryListedAndRemoved(t *testing.T) {
	st := newFailingMarkers(t)
	fsys, dir := mountStore(t, st, Options{})
	for _, name := range []string{"keep", "gone", "keep/sub"} {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, dir); !slices.Equal(got, []string{"gone", "keep"}) {
		t.Errorf("root lists %v", got)
	}
	if got := names(t, filepath.Join(dir, "keep")); !slices.Equal(got, []string{"sub"}) {
		t.Errorf("keep lists %v", got)
	}
	if err := syscall.Rmdir(filepath.Join(dir, "keep")); err != syscall.ENOTEMPTY {
		t.Errorf("rmdir of a directory holding a pending one: %v, want ENOTEMPTY", err)
	}
	if err := os.Remove(filepath.Join(dir, "gone")); err != nil {
		t.Fatalf("rmdir of a pending directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone")); !os.IsNotExist(err) {
		t.Errorf("stat after rmdir: %v", err)
	}
	st.fail.Store(false)
	settle(t, fsys)
	if got := allKeys(t, st); !slices.Equal(got, []string{"keep/", "keep/sub/"}) {
		t.Errorf("stored %v, want the markers of keep and keep/sub only", got)
	}
}

// TestRenameNewDirectory renames a directory just made, its marker
// stored or not yet: it is stored under the new name only.
func TestRenameNewDirectory(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{})
	if err := os.Mkdir(filepath.Join(dir, "a"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	if got := allKeys(t, st); !slices.Equal(got, []string{"b/"}) {
		t.Errorf("stored %v, want b/", got)
	}
	if fi, err := os.Stat(filepath.Join(dir, "b")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("stat b: %v %v", fi, err)
	}
}

// TestKillRecoversDirectory kills (SIGKILL) a mount process after a
// directory was made and its mode and times set through it, before its
// marker was stored: the next mount stores the marker with them.
func TestKillRecoversDirectory(t *testing.T) {
	if v := os.Getenv(crashChildEnv); v != "" {
		crashChild(t, v)
		return
	}
	storeDir, staging, mnt := t.TempDir(), t.TempDir(), t.TempDir()
	cmd := startCrashChild(t, "^TestKillRecoversDirectory$", storeDir+"|"+staging+"|"+mnt+"|slow", mnt)
	d := filepath.Join(mnt, "d")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	mt := time.Unix(1600000000, 0)
	if err := os.Chtimes(d, mt, mt); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o750); err != nil {
		t.Fatal(err)
	}
	st, fsys, dir := killAndRecover(t, cmd, nil, storeDir, staging, mnt, "d/")
	recovered(t, fsys, "d/")
	_, info := get(t, st, "d/")
	if m := info.UserMetadata; m["mode"] != strconv.Itoa(syscall.S_IFDIR|0o750) || m["mtime"] != "1600000000" {
		t.Errorf("recovered marker metadata %v", m)
	}
	if info.ContentType != dirContentType {
		t.Errorf("recovered marker content type %q", info.ContentType)
	}
	if fi, err := os.Stat(filepath.Join(dir, "d")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
		t.Errorf("stat d: %v %v", fi, err)
	}
}

// TestFileTimedWhileOpenStoredAtOnce writes a file and sets its times
// before closing it, as tar and cp -p do: it is stored without waiting
// for Options.WriteBackDelay, with those times.
func TestFileTimedWhileOpenStoredAtOnce(t *testing.T) {
	st := newStore(t)
	_, dir := mountStore(t, st, Options{WriteBackDelay: time.Minute})
	f, err := os.Create(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("content"); err != nil {
		t.Fatal(err)
	}
	mt := time.Unix(1600000000, 0)
	if err := unix.Futimes(int(f.Fd()), []unix.Timeval{unix.NsecToTimeval(mt.UnixNano()), unix.NsecToTimeval(mt.UnixNano())}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !exists(t, st, "f"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("f not stored: its upload waits for the write-back delay")
		}
	}
	if b, info := get(t, st, "f"); string(b) != "content" || info.UserMetadata["mtime"] != "1600000000" {
		t.Errorf("f stored as %q with %v", b, info.UserMetadata)
	}
}
