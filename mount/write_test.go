package mount

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestWriteStoresBytesAndMetadata(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{})
	if err := os.WriteFile(filepath.Join(dir, "new.txt"), []byte("written"), 0o640); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	b, info := get(t, st, "new.txt")
	if string(b) != "written" {
		t.Errorf("stored %q", b)
	}
	m := info.UserMetadata
	if m["mode"] != strconv.Itoa(syscall.S_IFREG|0o640) || m["uid"] != strconv.Itoa(os.Getuid()) || m["mtime"] == "" {
		t.Errorf("stored metadata %v", m)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "new.txt")); err != nil || string(b) != "written" {
		t.Errorf("read back %q %v", b, err)
	}
}

func TestLargeWriteGoesMultipart(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{PartSize: 5 << 20})
	data := make([]byte, 12<<20+123)
	rand.New(rand.NewSource(1)).Read(data)
	if err := os.WriteFile(filepath.Join(dir, "big"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	storedInParts(t, st, "big", data, 3)
}

// storedInParts checks that the store holds want as key, uploaded in
// parts parts.
func storedInParts(t *testing.T, st objstore.Store, key string, want []byte, parts int) {
	t.Helper()
	b, info := get(t, st, key)
	if !bytes.Equal(b, want) || info.PartsCount != parts {
		t.Errorf("%s stored as %d bytes in %d parts, want %d in %d; equal: %v", key, len(b), info.PartsCount, len(want), parts, bytes.Equal(b, want))
	}
}

func TestRandomWritesByteByByte(t *testing.T) {
	st := newStore(t)
	rng := rand.New(rand.NewSource(3))
	ref := make([]byte, 3<<20)
	rng.Read(ref)
	put(t, st, "f", string(ref), nil)
	fsys, dir := mountStore(t, st, Options{})
	f, err := os.OpenFile(filepath.Join(dir, "f"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		off := rng.Intn(len(ref) + 1000)
		p := make([]byte, rng.Intn(70000)+1)
		rng.Read(p)
		if _, err := f.WriteAt(p, int64(off)); err != nil {
			t.Fatal(err)
		}
		if end := off + len(p); end > len(ref) {
			ref = append(ref, make([]byte, end-len(ref))...)
		}
		copy(ref[off:], p)
	}
	if err := f.Truncate(2 << 20); err != nil {
		t.Fatal(err)
	}
	ref = ref[:2<<20]
	if err := f.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	settle(t, fsys)
	b, _ := get(t, st, "f")
	if !bytes.Equal(b, ref) {
		t.Errorf("stored content differs from the writes (%d vs %d bytes)", len(b), len(ref))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "f")); err != nil || !bytes.Equal(b, ref) {
		t.Errorf("read back differs: %d bytes, %v", len(b), err)
	}
}

func TestAppendTruncExcl(t *testing.T) {
	st := newStore(t)
	put(t, st, "log", "one\n", nil)
	fsys, dir := mountStore(t, st, Options{})
	p := filepath.Join(dir, "log")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("two\n")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	if b, _ := get(t, st, "log"); string(b) != "one\ntwo\n" {
		t.Errorf("after append: %q", b)
	}
	if _, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); !errors.Is(err, os.ErrExist) {
		t.Errorf("O_EXCL on an existing file: %v", err)
	}
	if err := os.WriteFile(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	if b, _ := get(t, st, "log"); string(b) != "new" {
		t.Errorf("after O_TRUNC write: %q", b)
	}
	if err := os.Truncate(p, 0); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	if b, _ := get(t, st, "log"); len(b) != 0 {
		t.Errorf("after truncate: %q", b)
	}
}

func TestMkdirRmdir(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{})
	d := filepath.Join(dir, "d")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys) // the marker is written back
	_, info := get(t, st, "d/")
	if info.UserMetadata["mode"] != strconv.Itoa(syscall.S_IFDIR|0o700) {
		t.Errorf("marker metadata %v", info.UserMetadata)
	}
	if err := os.WriteFile(filepath.Join(d, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Rmdir(d); err != syscall.ENOTEMPTY {
		t.Errorf("rmdir of a full dir: %v, want ENOTEMPTY", err)
	}
	if err := os.Remove(filepath.Join(d, "x")); err != nil {
		t.Fatal(err)
	}
	if exists(t, st, "d/x") {
		t.Error("d/x still stored after unlink")
	}
	if err := os.Remove(d); err != nil {
		t.Fatalf("rmdir of an empty dir: %v", err)
	}
	if exists(t, st, "d/") {
		t.Error("marker still stored after rmdir")
	}
}

func TestRename(t *testing.T) {
	st := newStore(t)
	put(t, st, "a", "A", map[string]string{"mode": "33216"})
	put(t, st, "tree/x", "X", nil)
	put(t, st, "tree/sub/y", "Y", nil)
	put(t, st, "tree/", "", nil)
	_, dir := mountStore(t, st, Options{})
	if err := os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	if exists(t, st, "a") {
		t.Error("a still stored after rename")
	}
	if b, info := get(t, st, "b"); string(b) != "A" || info.UserMetadata["mode"] != "33216" {
		t.Errorf("b: %q %v", b, info.UserMetadata)
	}
	if err := os.Rename(filepath.Join(dir, "tree"), filepath.Join(dir, "moved")); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tree/", "tree/x", "tree/sub/y"} {
		if exists(t, st, k) {
			t.Errorf("%s still stored", k)
		}
	}
	for k, want := range map[string]string{"moved/": "", "moved/x": "X", "moved/sub/y": "Y"} {
		if b, _ := get(t, st, k); string(b) != want {
			t.Errorf("%s: %q", k, b)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "moved", "sub", "y")); err != nil || string(b) != "Y" {
		t.Errorf("read moved/sub/y: %q %v", b, err)
	}
	// An editor-style save: write a temp file, rename it over the original.
	tmp := filepath.Join(dir, "moved", ".x.swp")
	if err := os.WriteFile(tmp, []byte("X2"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "moved", "x")); err != nil {
		t.Fatal(err)
	}
	if b, _ := get(t, st, "moved/x"); string(b) != "X2" {
		t.Errorf("after save: %q", b)
	}
	if got := names(t, filepath.Join(dir, "moved")); len(got) != 2 {
		t.Errorf("moved lists %v", got)
	}
}

func TestSymlinkStoredAsS3fs(t *testing.T) {
	st := newStore(t)
	_, dir := mountStore(t, st, Options{})
	if err := os.Symlink("../target", filepath.Join(dir, "l")); err != nil {
		t.Fatal(err)
	}
	b, info := get(t, st, "l")
	if string(b) != "../target" || info.UserMetadata["mode"] != strconv.Itoa(syscall.S_IFLNK|0o777) {
		t.Errorf("stored %q %v", b, info.UserMetadata)
	}
	if got, err := os.Readlink(filepath.Join(dir, "l")); err != nil || got != "../target" {
		t.Errorf("readlink %q %v", got, err)
	}
}

func TestChmodChownUtimensPersist(t *testing.T) {
	st := newStore(t)
	put(t, st, "f", "body", nil)
	put(t, st, "d/", "", nil)
	fsys, dir := mountStore(t, st, Options{})
	p := filepath.Join(dir, "f")
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, 42, 43); err != nil {
		t.Fatal(err)
	}
	mt := time.Unix(1600000000, 0)
	if err := os.Chtimes(p, mt, mt); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "d"), 0o711); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys) // a directory's marker is written back
	b, info := get(t, st, "f")
	m := info.UserMetadata
	if string(b) != "body" || m["mode"] != strconv.Itoa(syscall.S_IFREG|0o600) || m["uid"] != "42" || m["gid"] != "43" || m["mtime"] != "1600000000" {
		t.Errorf("f: %q %v", b, m)
	}
	if _, info := get(t, st, "d/"); info.UserMetadata["mode"] != strconv.Itoa(syscall.S_IFDIR|0o711) {
		t.Errorf("d/: %v", info.UserMetadata)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode() != 0o600 || !fi.ModTime().Equal(mt) {
		t.Errorf("stat after: %v %v", fi, err)
	}
}

func TestUnsupportedCalls(t *testing.T) {
	st := newStore(t)
	put(t, st, "f", "body", nil)
	_, dir := mountStore(t, st, Options{})
	if err := syscall.Link(filepath.Join(dir, "f"), filepath.Join(dir, "g")); err != syscall.ENOTSUP {
		t.Errorf("link: %v, want ENOTSUP", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != syscall.ENOTSUP {
		t.Errorf("mkfifo: %v, want ENOTSUP", err)
	}
	var s syscall.Statfs_t
	if err := syscall.Statfs(dir, &s); err != nil || s.Blocks == 0 || s.Bavail == 0 {
		t.Errorf("statfs: %+v %v", s, err)
	}
}

func TestReadOnly(t *testing.T) {
	st := newStore(t)
	put(t, st, "f", "body", nil)
	_, dir := mountStore(t, st, Options{ReadOnly: true})
	if err := os.WriteFile(filepath.Join(dir, "g"), []byte("x"), 0o644); !errors.Is(err, syscall.EROFS) {
		t.Errorf("write on a read-only mount: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "f")); err != nil || string(b) != "body" {
		t.Errorf("read: %q %v", b, err)
	}
}

// TestRenameOverOpenFile renames a file over one still open for
// writing: closing the replaced file stores nothing anywhere.
func TestRenameOverOpenFile(t *testing.T) {
	st := newStore(t)
	_, dir := mountStore(t, st, Options{})
	open, err := os.Create(filepath.Join(dir, "target"))
	if err != nil {
		t.Fatal(err)
	}
	open.WriteString("replaced")
	if err := os.WriteFile(filepath.Join(dir, "new"), []byte("winner"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "new"), filepath.Join(dir, "target")); err != nil {
		t.Fatal(err)
	}
	open.WriteString(" and more")
	open.Close()
	if b, _ := get(t, st, "target"); string(b) != "winner" {
		t.Errorf("target holds %q", b)
	}
	if keys := allKeys(t, st); len(keys) != 1 {
		t.Errorf("stored keys %q, want only target", keys)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("root lists %v", got)
	}
}

// TestUnlinkOpenFile unlinks a file still open for writing: it is
// neither stored by the unlink nor by the close.
func TestUnlinkOpenFile(t *testing.T) {
	st := newStore(t)
	_, dir := mountStore(t, st, Options{})
	p := filepath.Join(dir, "tmp")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("scratch")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	f.WriteString(" more")
	if err := f.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if exists(t, st, "tmp") {
		t.Error("tmp stored after unlink")
	}
}
