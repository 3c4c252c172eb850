package test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRclone copies a tree to cairn serve with rclone, lists it and
// checks it byte for byte (rclone check), then syncs a change.
func TestRclone(t *testing.T) {
	rclone := needTool(t, "rclone")
	s := startServe(t)
	s.aws(t, "s3", "mb", "s3://rcl")
	src := t.TempDir()
	for _, name := range []string{"one.txt", "two/three.bin", "two/four five.txt", "big.bin"} {
		size := 3000
		if name == "big.bin" {
			size = 12 << 20
		}
		writeRandomFile(t, filepath.Join(src, name), size)
	}
	conf := filepath.Join(t.TempDir(), "rclone.conf")
	writeFile(t, conf, "[cairn]\ntype = s3\nprovider = Other\naccess_key_id = "+testAccessKey+
		"\nsecret_access_key = "+testSecretKey+"\nendpoint = "+s.endpoint+"\nregion = us-east-1\nforce_path_style = true\n")
	rc := func(args ...string) string {
		t.Helper()
		return s.runEnv(t, []string{"AWS_CA_BUNDLE="}, rclone, append([]string{"--config", conf, "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M"}, args...)...)
	}
	rc("copy", src, "cairn:rcl/tree")
	ls := rc("ls", "cairn:rcl/tree")
	for _, name := range []string{"one.txt", "two/three.bin", "two/four five.txt", "big.bin"} {
		if !strings.Contains(ls, name) {
			t.Errorf("rclone ls lacks %s:\n%s", name, ls)
		}
	}
	rc("check", "--download", src, "cairn:rcl/tree")
	writeRandomFile(t, filepath.Join(src, "one.txt"), 5000)
	rc("sync", src, "cairn:rcl/tree")
	rc("check", "--download", src, "cairn:rcl/tree")
	back := t.TempDir()
	rc("copy", "cairn:rcl/tree", back)
	rc("check", src, back)
}
