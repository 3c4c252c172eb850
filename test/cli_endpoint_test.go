package test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIOnEndpoint runs the object commands against cairn serve through
// --endpoint, and checks what they wrote with the aws CLI.
func TestCLIOnEndpoint(t *testing.T) {
	s := startServe(t)
	cairn := func(args ...string) string {
		t.Helper()
		return s.runEnv(t, []string{"CAIRN_ACCESS_KEY=" + testAccessKey, "CAIRN_SECRET_KEY=" + testSecretKey},
			cairnBinary(t), append([]string{"--endpoint", s.endpoint, "--data", t.TempDir()}, args...)...)
	}
	dir := t.TempDir()
	cairn("mb", "s3://remote-bucket")
	small := writeRandomFile(t, filepath.Join(dir, "small"), 1000)
	big := writeRandomFile(t, filepath.Join(dir, "big"), 70<<20)
	cairn("cp", filepath.Join(dir, "small"), "s3://remote-bucket/a/small")
	cairn("cp", filepath.Join(dir, "big"), "s3://remote-bucket/a/big")
	if ls := cairn("ls", "--recursive", "s3://remote-bucket"); !strings.Contains(ls, "a/small") || !strings.Contains(ls, "a/big") {
		t.Fatalf("cairn ls --endpoint:\n%s", ls)
	}
	if st := cairn("stat", "s3://remote-bucket/a/big"); !strings.Contains(st, "-9") {
		t.Fatalf("a 70 MiB cp through --endpoint was not multipart:\n%s", st)
	}
	s.aws(t, "s3", "cp", "s3://remote-bucket/a/big", filepath.Join(dir, "big.back"))
	s.aws(t, "s3", "cp", "s3://remote-bucket/a/small", filepath.Join(dir, "small.back"))
	if !bytes.Equal(mustRead(t, filepath.Join(dir, "big.back")), big) || !bytes.Equal(mustRead(t, filepath.Join(dir, "small.back")), small) {
		t.Fatal("objects written with cairn --endpoint differ when read with the aws CLI")
	}
	cairn("rm", "--recursive", "s3://remote-bucket/a/")
	cairn("rb", "s3://remote-bucket")
	if ls := s.aws(t, "s3", "ls"); strings.Contains(ls, "remote-bucket") {
		t.Fatalf("bucket still there after cairn rb --endpoint:\n%s", ls)
	}
}
