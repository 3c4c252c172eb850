package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestS3fs mounts the server read-write with s3fs, writes and reads files
// through the mount, and checks the objects with the aws CLI.
func TestS3fs(t *testing.T) {
	s3fs := needTool(t, "s3fs")
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skip("no /dev/fuse")
	}
	s := startServe(t)
	s.aws(t, "s3", "mb", "s3://fsb")
	s.aws(t, "s3", "cp", "-", "s3://fsb/existing.txt") // empty object made before the mount
	mnt := filepath.Join(t.TempDir(), "mnt")
	s.mountS3fs(t, s3fs, "fsb", mnt, "stat_cache_expire=1", "multipart_size=5")

	small := []byte("written through s3fs\n")
	writeFile(t, filepath.Join(mnt, "small.txt"), string(small))
	os.MkdirAll(filepath.Join(mnt, "dir", "sub"), 0o755)
	big := writeRandomFile(t, filepath.Join(mnt, "dir", "sub", "big.bin"), 23<<20)
	if got := mustRead(t, filepath.Join(mnt, "dir", "sub", "big.bin")); !bytes.Equal(got, big) {
		t.Fatal("big file read back through s3fs differs")
	}
	out := t.TempDir()
	s.aws(t, "s3", "cp", "s3://fsb/small.txt", filepath.Join(out, "small"))
	s.aws(t, "s3", "cp", "s3://fsb/dir/sub/big.bin", filepath.Join(out, "big"))
	if !bytes.Equal(mustRead(t, filepath.Join(out, "small")), small) || !bytes.Equal(mustRead(t, filepath.Join(out, "big")), big) {
		t.Fatal("objects written through s3fs differ when read with the aws CLI")
	}
	entries, err := os.ReadDir(mnt)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, ","); got != "dir,existing.txt,small.txt" {
		t.Fatalf("s3fs lists %s, want dir,existing.txt,small.txt", got)
	}
	if err := os.Rename(filepath.Join(mnt, "small.txt"), filepath.Join(mnt, "renamed.txt")); err != nil {
		t.Fatalf("rename through s3fs: %v", err)
	}
	if err := os.Remove(filepath.Join(mnt, "dir", "sub", "big.bin")); err != nil {
		t.Fatalf("remove through s3fs: %v", err)
	}
	ls := s.aws(t, "s3", "ls", "--recursive", "s3://fsb")
	if !strings.Contains(ls, "renamed.txt") || strings.Contains(ls, "small.txt") || strings.Contains(ls, "big.bin") {
		t.Fatalf("after rename and remove through s3fs the bucket holds:\n%s", ls)
	}
}

// mountS3fs mounts bucket of the server on dir with s3fs in the
// foreground, with extra -o options, and unmounts it when the test ends.
func (s *server) mountS3fs(t *testing.T, s3fs, bucket, dir string, opts ...string) {
	t.Helper()
	passwd := filepath.Join(t.TempDir(), "passwd")
	writeFile(t, passwd, testAccessKey+":"+testSecretKey+"\n")
	os.Chmod(passwd, 0o600)
	os.MkdirAll(dir, 0o755)
	args := []string{bucket, dir, "-f", "-o", "passwd_file=" + passwd, "-o", "url=" + s.endpoint,
		"-o", "use_path_request_style", "-o", "endpoint=us-east-1", "-o", "sigv4"}
	for _, o := range opts {
		args = append(args, "-o", o)
	}
	cmd := exec.Command(s3fs, args...)
	cmd.Stderr = &testLogWriter{t: t, prefix: "s3fs: "}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start s3fs: %v", err)
	}
	t.Cleanup(func() {
		exec.Command("umount", "-l", dir).Run()
		cmd.Process.Kill()
		cmd.Wait()
	})
	waitMounted(t, dir)
}

// waitMounted waits until a FUSE file system is mounted on dir.
func waitMounted(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile("/proc/self/mountinfo")
		if strings.Contains(string(data), " "+dir+" ") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not mounted within 30 s", dir)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
