package test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLifecycle watches lifecycle rules and restores work on a cairn
// serve with a one-second lifecycle day: testdata/lifecycle_check.py
// (boto3) expires objects, cleans delete markers, keeps the newest
// noncurrent versions, aborts stale uploads, transitions to GLACIER and
// restores, each awaited with a generous deadline.
func TestLifecycle(t *testing.T) {
	py := needTool(t, "/usr/bin/python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		needTool(t, "boto3 (Debian package python3-boto3)")
	}
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "testdata", "lifecycle_check.py")
	s := startServe(t, "--lifecycle-day", "1s")
	if out := s.run(t, py, script); !strings.Contains(out, "ok") {
		t.Fatalf("lifecycle script: %s", out)
	}
}

// TestLifecycleConfigurationAWSCLI sets, reads back and deletes a
// lifecycle configuration with the aws CLI, and sees S3's errors for a
// rule S3 refuses and for a bucket without rules.
func TestLifecycleConfigurationAWSCLI(t *testing.T) {
	aws := needTool(t, "aws")
	s := startServe(t)
	s.run(t, aws, "s3api", "create-bucket", "--bucket", "lc-cli")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, `{"Rules":[{"ID":"archive-logs","Status":"Enabled","Filter":{"Prefix":"logs/"},
		"Transitions":[{"Days":30,"StorageClass":"STANDARD_IA"},{"Days":90,"StorageClass":"GLACIER"}],
		"Expiration":{"Days":365}}]}`)
	s.run(t, aws, "s3api", "put-bucket-lifecycle-configuration", "--bucket", "lc-cli", "--lifecycle-configuration", "file://"+good)
	out := s.run(t, aws, "s3api", "get-bucket-lifecycle-configuration", "--bucket", "lc-cli")
	for _, want := range []string{`"archive-logs"`, `"STANDARD_IA"`, `"GLACIER"`, `"Days": 365`, `"Prefix": "logs/"`} {
		if !strings.Contains(out, want) {
			t.Errorf("get-bucket-lifecycle-configuration lacks %s:\n%s", want, out)
		}
	}
	bad := filepath.Join(dir, "bad.json")
	writeFile(t, bad, `{"Rules":[{"ID":"too-soon","Status":"Enabled","Filter":{},"Transitions":[{"Days":7,"StorageClass":"STANDARD_IA"}]}]}`)
	out, err := s.try(t, aws, "s3api", "put-bucket-lifecycle-configuration", "--bucket", "lc-cli", "--lifecycle-configuration", "file://"+bad)
	if err == nil || !strings.Contains(out, "InvalidArgument") || !strings.Contains(out, "greater than or equal to 30") {
		t.Errorf("7 days to STANDARD_IA: %v\n%s", err, out)
	}
	s.run(t, aws, "s3api", "delete-bucket-lifecycle", "--bucket", "lc-cli")
	out, err = s.try(t, aws, "s3api", "get-bucket-lifecycle-configuration", "--bucket", "lc-cli")
	if err == nil || !strings.Contains(out, "NoSuchLifecycleConfiguration") {
		t.Errorf("after delete-bucket-lifecycle: %v\n%s", err, out)
	}
}

// TestArchivedFileThroughMount reads an archived object through a mount:
// EACCES while it is in GLACIER, its bytes once a restore completes.
func TestArchivedFileThroughMount(t *testing.T) {
	needFUSE(t)
	aws := needTool(t, "aws")
	s := startServe(t, "--lifecycle-day", "1s")
	s.run(t, aws, "s3", "mb", "s3://cold")
	src := filepath.Join(t.TempDir(), "report.txt")
	writeFile(t, src, "quarterly numbers")
	s.run(t, aws, "s3", "cp", src, "s3://cold/report.txt", "--storage-class", "GLACIER")
	b := &mountBackend{name: "serve", endpoint: s.endpoint}
	dir := filepath.Join(t.TempDir(), "mnt")
	b.mount(t, "cold", dir)
	file := filepath.Join(dir, "report.txt")
	if _, err := os.ReadFile(file); !errors.Is(err, syscall.EACCES) {
		t.Fatalf("read of a GLACIER file: %v, want EACCES", err)
	}
	s.run(t, aws, "s3api", "restore-object", "--bucket", "cold", "--key", "report.txt",
		"--restore-request", `{"Days":600,"GlacierJobParameters":{"Tier":"Expedited"}}`)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		got, err := os.ReadFile(file)
		if err == nil {
			if string(got) != "quarterly numbers" {
				t.Fatalf("restored file reads %q", got)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("file still unreadable 2 minutes after the restore: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
