package mount

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// TestRecoverJournaledFile stages and journals a file the way a write
// does, without the upload a close would do, then mounts: Mount stores
// it and says so.
func TestRecoverJournaledFile(t *testing.T) {
	st := newStore(t)
	staging := t.TempDir()
	j, err := openJournal(staging)
	if err != nil {
		t.Fatal(err)
	}
	s, err := j.create()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.journal(record{Bucket: testBucket, Key: "sub/f.txt", Mode: syscall.S_IFREG | 0o600, UID: 7, GID: 8}); err != nil {
		t.Fatal(err)
	}
	s.f.WriteString("unsaved work")
	s.f.Close()
	clean, err := j.create() // staged and stored: nothing to recover
	if err != nil {
		t.Fatal(err)
	}
	clean.f.Close()
	j.close()

	f, dir := mountStore(t, st, Options{StagingDir: staging})
	if got := f.Recovered(); !slices.Equal(got, []string{"sub/f.txt"}) {
		t.Errorf("Recovered() = %v", got)
	}
	b, info := get(t, st, "sub/f.txt")
	if string(b) != "unsaved work" || info.UserMetadata["mode"] != strconv.Itoa(syscall.S_IFREG|0o600) || info.UserMetadata["uid"] != "7" {
		t.Errorf("stored %q %v", b, info.UserMetadata)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "sub", "f.txt")); err != nil || string(b) != "unsaved work" {
		t.Errorf("read through the mount: %q %v", b, err)
	}
	if ents, _ := os.ReadDir(staging); len(ents) != 1 { // the lock file
		t.Errorf("staging dir keeps %d entries after recovery", len(ents))
	}
}

// TestDamagedRecordSetAside mounts over a staging dir holding a record
// that cannot be read: the mount starts, and the record and its staged
// content are kept under other names, never deleted, for a person to
// look at, also by the mounts after.
func TestDamagedRecordSetAside(t *testing.T) {
	st := newStore(t)
	staging := t.TempDir()
	os.WriteFile(filepath.Join(staging, "bad.json"), []byte("\x00\x00 not json"), 0o600)
	os.WriteFile(filepath.Join(staging, "bad.data"), []byte("someone's work"), 0o600)
	for range 2 {
		fsys, _ := mountStore(t, st, Options{StagingDir: staging})
		if err := fsys.Unmount(); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(filepath.Join(staging, "bad.data"+damagedSuffix)); err != nil || string(b) != "someone's work" {
			t.Fatalf("staged content set aside: %q %v", b, err)
		}
		if _, err := os.Stat(filepath.Join(staging, "bad.json"+damagedSuffix)); err != nil {
			t.Fatalf("record set aside: %v", err)
		}
	}
}

// TestStagingDirLocked refuses a second mount on the same staging dir.
func TestStagingDirLocked(t *testing.T) {
	st := newStore(t)
	staging := t.TempDir()
	mountStore(t, st, Options{StagingDir: staging})
	_, err := Mount(context.Background(), st, t.TempDir(), Options{Bucket: testBucket, StagingDir: staging, Logger: quietLogger()})
	if err == nil {
		t.Fatal("second mount on one staging dir succeeded")
	}
}

// crashChildEnv holds the store dir, staging dir and mount point of the
// child process of TestKillRecovery, separated by "|".
const crashChildEnv = "CAIRN_MOUNT_CRASH_CHILD"

// TestKillRecovery kills (SIGKILL) a mount process while a file written
// through its mount is still open; the next mount stores the file.
func TestKillRecovery(t *testing.T) {
	if v := os.Getenv(crashChildEnv); v != "" {
		crashChild(t, v)
		return
	}
	storeDir, staging, mnt := t.TempDir(), t.TempDir(), t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillRecovery$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+storeDir+"|"+staging+"|"+mnt)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		syscall.Unmount(mnt, syscall.MNT_DETACH)
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "mounted" {
	}
	f, err := os.Create(filepath.Join(mnt, "wip.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("written before the kill"); err != nil {
		t.Fatal(err)
	}
	st, fsys, _ := killAndRecover(t, cmd, f, storeDir, staging, mnt, "wip.txt")
	recovered(t, fsys, "wip.txt")
	if b, _ := get(t, st, "wip.txt"); string(b) != "written before the kill" {
		t.Errorf("stored %q", b)
	}
}

// TestKillRecoversClosedFiles kills (SIGKILL) a mount process whose
// store holds every upload, after files written through it were closed
// (close returns before the upload): the next mount stores them.
func TestKillRecoversClosedFiles(t *testing.T) {
	if v := os.Getenv(crashChildEnv); v != "" {
		crashChild(t, v)
		return
	}
	storeDir, staging, mnt := t.TempDir(), t.TempDir(), t.TempDir()
	cmd := startCrashChild(t, "^TestKillRecoversClosedFiles$", storeDir+"|"+staging+"|"+mnt+"|hold", mnt)
	want := map[string]string{"one.txt": "first file", "dir/two.txt": "second file"}
	if err := os.Mkdir(filepath.Join(mnt, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range want {
		if err := os.WriteFile(filepath.Join(mnt, name), []byte(body), 0o644); err != nil {
			t.Fatalf("write and close %s: %v", name, err)
		}
	}
	st, fsys, _ := killAndRecover(t, cmd, nil, storeDir, staging, mnt, "one.txt", "dir/two.txt")
	// dir's marker is written back too: stored before the kill or now.
	got := slices.DeleteFunc(fsys.Recovered(), func(p string) bool { return p == "dir/" })
	slices.Sort(got)
	if !slices.Equal(got, []string{"dir/two.txt", "one.txt"}) {
		t.Errorf("Recovered() = %v", got)
	}
	if !exists(t, st, "dir/") {
		t.Error("dir/ not stored")
	}
	for name, body := range want {
		if b, _ := get(t, st, name); string(b) != body {
			t.Errorf("%s stored as %q", name, b)
		}
	}
}

// startCrashChild runs test as a child mount process with env for
// crashChild and returns once it has mounted on mnt.
// killAndRecover kills the child mount cmd (closing f, if any, once it
// is dead, which stores nothing), detaches its mount point, and mounts its
// store and staging dir here; keys must not have been stored before. It
// returns the store, the new mount and its mount point.
func killAndRecover(t *testing.T, cmd *exec.Cmd, f *os.File, storeDir, staging, mnt string, keys ...string) (objstore.Store, *FS, string) {
	t.Helper()
	cmd.Process.Kill()
	cmd.Wait()
	if f != nil {
		f.Close()
	}
	if err := syscall.Unmount(mnt, syscall.MNT_DETACH); err != nil {
		t.Fatalf("unmount the dead mount: %v", err)
	}
	st, err := disk.Open(storeDir, disk.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, key := range keys {
		if exists(t, st, key) {
			t.Fatalf("%s stored before the kill: the test proves nothing", key)
		}
	}
	fsys, dir := mountStore(t, st, Options{StagingDir: staging})
	return st, fsys, dir
}

// recovered checks that a mount recovered exactly keys.
func recovered(t *testing.T, fsys *FS, keys ...string) {
	t.Helper()
	if got := fsys.Recovered(); !slices.Equal(got, keys) {
		t.Errorf("Recovered() = %v, want %v", got, keys)
	}
}

func startCrashChild(t *testing.T, test, env, mnt string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run="+test)
	cmd.Env = append(os.Environ(), crashChildEnv+"="+env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		syscall.Unmount(mnt, syscall.MNT_DETACH)
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "mounted" {
	}
	return cmd
}

// crashChild mounts, reports it and waits to be killed; an env ending in
// "|hold" or "|slow" holds its uploads or delays them by an hour. It opens
// no file of its own mount: a process that dies with one open would wait
// forever for its own answer to the kernel's flush.
func crashChild(t *testing.T, env string) {
	parts := strings.Split(env, "|")
	st, err := disk.Open(parts[0], disk.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateBucket(context.Background(), testBucket, objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	var mounted objstore.Store = st
	opts := Options{Bucket: testBucket, StagingDir: parts[1], Logger: quietLogger()}
	switch mode := parts[len(parts)-1]; mode {
	case "hold": // the store holds every upload
		mounted = &gatedStore{Store: st, gate: make(chan struct{}), started: make(chan string, 100)}
	case "slow": // uploads are due an hour after a change
		opts.WriteBackDelay = time.Hour
	}
	_, err = Mount(context.Background(), mounted, parts[2], opts)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("mounted\n")
	select {}
}

// journalRecords returns the records of the staged files in a staging
// dir, as the next mount would find them.
func journalRecords(t *testing.T, staging string) []record {
	t.Helper()
	j := &journal{dir: staging, xattr: hasUserXattr(staging)}
	ents, err := os.ReadDir(staging)
	if err != nil {
		t.Fatal(err)
	}
	var out []record
	for _, e := range ents {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			if p, err := j.load(id); err == nil && p != nil {
				out = append(out, p.record)
			}
		}
		if id, ok := strings.CutSuffix(e.Name(), ".data"); ok {
			if p, err := j.loadAttr(id); err == nil && p != nil {
				out = append(out, p.record)
			}
		}
	}
	return out
}

// TestDamagedAttributeRecordSetAside mounts over a staging dir holding a
// staged file whose record, in its extended attribute, cannot be read: the
// mount starts and the staged content is kept under another name.
func TestDamagedAttributeRecordSetAside(t *testing.T) {
	st := newStore(t)
	staging := t.TempDir()
	if !hasUserXattr(staging) {
		t.Skip("no user extended attributes in", staging)
	}
	data := filepath.Join(staging, "bad.data")
	os.WriteFile(data, []byte("someone's work"), 0o600)
	if err := unix.Setxattr(data, recordAttr, []byte("\x00 not json"), 0); err != nil {
		t.Fatal(err)
	}
	fsys, _ := mountStore(t, st, Options{StagingDir: staging})
	if err := fsys.Unmount(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(data + damagedSuffix); err != nil || string(b) != "someone's work" {
		t.Fatalf("staged content set aside: %q %v", b, err)
	}
}

// TestRecordsKeptInAttributes checks that where the staging dir takes
// extended attributes, a staged file's record is one: the staging dir
// holds no record files.
func TestRecordsKeptInAttributes(t *testing.T) {
	staging := t.TempDir()
	if !hasUserXattr(staging) {
		t.Skip("no user extended attributes in", staging)
	}
	st := newGatedStore(t)
	_, dir := mountStore(t, st, Options{StagingDir: staging})
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	<-st.started // the upload is held: the record stays
	if recs := journalRecords(t, staging); len(recs) != 1 || recs[0].Key != "f" {
		t.Fatalf("records %+v, want f's", recs)
	}
	if files, _ := filepath.Glob(filepath.Join(staging, "*.json")); len(files) != 0 {
		t.Fatalf("record files %v beside records in attributes", files)
	}
	st.open()
}
