package test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBoto3 runs testdata/boto3_check.py, an application-style boto3
// script, against cairn serve.
func TestBoto3(t *testing.T) {
	py := needTool(t, "/usr/bin/python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		needTool(t, "boto3 (Debian package python3-boto3)")
	}
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "testdata", "boto3_check.py")
	s := startServe(t)
	if out := s.run(t, py, script, "path"); !strings.Contains(out, "ok") {
		t.Fatalf("boto3 script: %s", out)
	}
}
