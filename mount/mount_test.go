package mount

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

const testBucket = "mnt-test"

// newStore opens a disk store in a temp dir with one bucket.
func newStore(t *testing.T) objstore.Store {
	t.Helper()
	st, err := disk.Open(t.TempDir(), disk.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.CreateBucket(context.Background(), testBucket, objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// noticeLogger returns a quiet logger that sends on the channel each
// time it logs msg: a test waits there for the mount to have acted,
// where the store alone only tells that it was asked.
func noticeLogger(msg string) (*slog.Logger, <-chan struct{}) {
	h := &noticeHandler{Handler: quietLogger().Handler(), msg: msg, seen: make(chan struct{}, 100)}
	return slog.New(h), h.seen
}

// noticeHandler is noticeLogger's handler.
type noticeHandler struct {
	slog.Handler
	msg  string
	seen chan struct{}
}

func (h *noticeHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.seen <- struct{}{}
	}
	return h.Handler.Handle(ctx, r)
}

func (h *noticeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &noticeHandler{Handler: h.Handler.WithAttrs(as), msg: h.msg, seen: h.seen}
}

func (h *noticeHandler) WithGroup(name string) slog.Handler {
	return &noticeHandler{Handler: h.Handler.WithGroup(name), msg: h.msg, seen: h.seen}
}

// mountStore mounts the test bucket of st on a temp dir, unmounting it
// when the test ends (lazily when the test failed).
func mountStore(t *testing.T, st objstore.Store, opts Options) (*FS, string) {
	t.Helper()
	dir := t.TempDir()
	opts.Bucket = testBucket
	if opts.StagingDir == "" {
		opts.StagingDir = t.TempDir()
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	f, err := Mount(context.Background(), st, dir, opts)
	if err != nil {
		t.Fatalf("mount: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Unmount(); err != nil || t.Failed() {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return f, dir
}

// put stores body as key with user metadata meta.
func put(t *testing.T, st objstore.Store, key, body string, meta map[string]string) objstore.ObjectInfo {
	t.Helper()
	info, err := st.PutObject(context.Background(), testBucket, key, strings.NewReader(body),
		objstore.PutOptions{Size: int64(len(body)), ObjectMeta: objstore.ObjectMeta{UserMetadata: meta}})
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
	return info
}

// get returns the body and info of key.
func get(t *testing.T, st objstore.Store, key string) ([]byte, objstore.ObjectInfo) {
	t.Helper()
	obj, err := st.GetObject(context.Background(), testBucket, key, objstore.GetOptions{})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b, obj.Info
}

// exists tells whether key is stored.
func exists(t *testing.T, st objstore.Store, key string) bool {
	t.Helper()
	_, err := st.HeadObject(context.Background(), testBucket, key, objstore.GetOptions{})
	if err != nil && !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Fatalf("head %s: %v", key, err)
	}
	return err == nil
}

// names lists a directory of the mount.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("readdir %s: %v", dir, err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestReadTree(t *testing.T) {
	st := newStore(t)
	mtime := time.Unix(1700000000, 0)
	put(t, st, "a.txt", "hello", map[string]string{"mode": "33152", "uid": "1234", "gid": "5678", "mtime": "1700000000"})
	info := put(t, st, "dir/b.txt", "bee", nil)
	put(t, st, "dir/sub/", "", nil)
	put(t, st, "both", "object", nil)
	put(t, st, "both/inner", "in", nil)
	put(t, st, "bad//x", "x", nil)
	put(t, st, "dots/../y", "y", nil)
	put(t, st, "dots/"+strings.Repeat("n", 256), "long", nil)
	put(t, st, "link", "a.txt", map[string]string{"mode": "41471"})
	_, dir := mountStore(t, st, Options{})

	if got, want := strings.Join(names(t, dir), ","), "a.txt,bad,both,dir,dots,link"; got != want {
		t.Errorf("root lists %s, want %s", got, want)
	}
	if got := names(t, filepath.Join(dir, "dots")); len(got) != 0 {
		t.Errorf("dots lists %v, want nothing (unrepresentable keys)", got)
	}
	if got := strings.Join(names(t, filepath.Join(dir, "dir")), ","); got != "b.txt,sub" {
		t.Errorf("dir lists %s", got)
	}
	b, err := os.ReadFile(filepath.Join(dir, "a.txt"))
	if err != nil || string(b) != "hello" {
		t.Fatalf("read a.txt: %q, %v", b, err)
	}
	var sa syscall.Stat_t
	if err := syscall.Stat(filepath.Join(dir, "a.txt"), &sa); err != nil {
		t.Fatal(err)
	}
	if sa.Mode != syscall.S_IFREG|0o600 || sa.Uid != 1234 || sa.Gid != 5678 || sa.Mtim.Sec != mtime.Unix() || sa.Size != 5 {
		t.Errorf("a.txt stat: mode %o uid %d gid %d mtime %d size %d", sa.Mode, sa.Uid, sa.Gid, sa.Mtim.Sec, sa.Size)
	}
	fi, err := os.Stat(filepath.Join(dir, "dir", "b.txt"))
	if err != nil || fi.Mode() != 0o644 || !fi.ModTime().Equal(info.LastModified.Truncate(time.Second)) && !fi.ModTime().Equal(info.LastModified) {
		t.Errorf("dir/b.txt: %v %v (stored %v)", fi, err, info.LastModified)
	}
	if fi, err := os.Stat(filepath.Join(dir, "both")); err != nil || !fi.IsDir() {
		t.Errorf("both is %v, %v; want the directory", fi, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "both", "inner")); err != nil || string(b) != "in" {
		t.Errorf("both/inner: %q %v", b, err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "link")); err != nil || target != "a.txt" {
		t.Errorf("readlink: %q %v", target, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "link")); err != nil || string(b) != "hello" {
		t.Errorf("read through link: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestReadRanges(t *testing.T) {
	st := newStore(t)
	data := bytes.Repeat([]byte("0123456789abcdef"), 300000) // 4.8 MB
	put(t, st, "big", string(data), nil)
	_, dir := mountStore(t, st, Options{})
	f, err := os.Open(filepath.Join(dir, "big"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, off := range []int64{0, 1, 4095, 1 << 20, int64(len(data)) - 10} {
		p := make([]byte, 70000)
		k, err := f.ReadAt(p, off)
		if err != nil && !errors.Is(err, io.EOF) {
			t.Fatalf("read at %d: %v", off, err)
		}
		if !bytes.Equal(p[:k], data[off:min(off+70000, int64(len(data)))]) {
			t.Errorf("read at %d: wrong bytes", off)
		}
	}
	all, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(all, data) {
		t.Errorf("sequential read: %d bytes, %v", len(all), err)
	}
}

func deleteOpts() objstore.DeleteOptions { return objstore.DeleteOptions{} }

// allKeys lists every key of the test bucket.
func allKeys(t *testing.T, st objstore.Store) []string {
	t.Helper()
	res, err := st.ListObjects(context.Background(), testBucket, objstore.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range res.Objects {
		keys = append(keys, o.Key)
	}
	return keys
}

// settle waits until every file written through f is stored: a closed
// file is uploaded in the background.
func settle(t *testing.T, f *FS) {
	t.Helper()
	if err := f.Sync(context.Background()); err != nil {
		t.Fatalf("store the files written: %v", err)
	}
}
