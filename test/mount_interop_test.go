package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// mountOn mounts bucket of the server with cairn mount --endpoint in the
// background, and unmounts it when the test ends.
func (s *server) mountOn(t *testing.T, bucket, dir string, extra ...string) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	unmountAtEnd(t, dir)
	args := append([]string{"--endpoint", s.endpoint, "--data", t.TempDir(), "mount",
		"--staging-dir", t.TempDir(), "--cache-dir", t.TempDir(), "--metadata-ttl", "100ms"}, extra...)
	s.runEnv(t, []string{"CAIRN_ACCESS_KEY=" + testAccessKey, "CAIRN_SECRET_KEY=" + testSecretKey, "XDG_CACHE_HOME=" + t.TempDir()},
		cairnBinary(t), append(args, "s3://"+bucket, dir)...)
	t.Cleanup(func() { exec.Command(cairnBinary(t), "unmount", dir).Run() })
}

// TestMountInterop writes through a cairn mount on cairn serve and reads
// the result with the aws CLI and through s3fs: same bytes, same mode,
// owner and mtime (s3fs's metadata names); and a change made with the aws
// CLI shows in the mount.
func TestMountInterop(t *testing.T) {
	needFUSE(t)
	s3fs := needTool(t, "s3fs")
	s := startServe(t)
	s.aws(t, "s3", "mb", "s3://shared")
	root := t.TempDir()
	mnt := filepath.Join(root, "cairn")
	s.mountOn(t, "shared", mnt)

	path := filepath.Join(mnt, "docs", "plan.txt")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, "written through cairn\n")
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	storeAll(t, mnt)
	var head struct{ Metadata map[string]string }
	s.awsJSON(t, &head, "s3api", "head-object", "--bucket", "shared", "--key", "docs/plan.txt")
	if head.Metadata["mode"] != "33184" || head.Metadata["mtime"] != "1714979289" {
		t.Fatalf("metadata seen by the aws CLI: %v, want mode 33184 (0100640) and mtime 1714979289", head.Metadata)
	}
	if got := s.aws(t, "s3", "cp", "s3://shared/docs/plan.txt", "-"); got != "written through cairn\n" {
		t.Fatalf("aws CLI reads %q", got)
	}

	other := filepath.Join(root, "s3fs")
	s.mountS3fs(t, s3fs, "shared", other)
	fi, err := os.Stat(filepath.Join(other, "docs", "plan.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 || !fi.ModTime().Equal(mtime) {
		t.Fatalf("s3fs sees mode %v mtime %v, want 0640 and %v", fi.Mode(), fi.ModTime(), mtime)
	}

	// A change made with the aws CLI shows in the mount within the metadata TTL.
	s.aws(t, "s3", "cp", "-", "s3://shared/docs/plan.txt")
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil && len(data) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mount still reads %q, %v after the object was replaced", data, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
