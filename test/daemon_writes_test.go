package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDaemonWritesEncrypted: the daemon's mounts and syncs take the
// encryption and storage class settings of cairn mount and cairn sync
// (sse, sse_kms_key_id, storage_class) from its config, and what they
// store is written with them.
func TestDaemonWritesEncrypted(t *testing.T) {
	e := newDaemonEnv(t)
	e.c.ok("mb", "s3://vault")
	e.c.ok("admin", "kms", "create-key", "--alias", "alias/papers")
	mnt := e.mountpoint("vault")
	folder := filepath.Join(e.dir, "folder")
	os.Mkdir(folder, 0o755)
	e.writeConfig(fmt.Sprintf(`
mounts:
  - name: vault
    target: s3://vault/mounted
    mountpoint: %s
    staging_dir: %s
    sse: AES256
syncs:
  - name: papers
    local: %s
    remote: s3://vault/synced
    interval: 1s
    sse_kms_key_id: alias/papers
    storage_class: STANDARD_IA
`, mnt, filepath.Join(e.dir, "stage"), folder))
	d := e.start()
	e.waitStates(d, map[string]string{"vault": "running", "papers": "running"})
	if err := os.WriteFile(filepath.Join(mnt, "m.txt"), []byte("mounted"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "s.txt"), []byte("synced"), 0o644); err != nil {
		t.Fatal(err)
	}
	storeAll(t, mnt)
	e.waitFor(d, "s.txt synced", func() bool {
		out, _, code := e.run("cp", "s3://vault/synced/s.txt", "-")
		return code == 0 && out == "synced"
	})
	if out := e.ok("stat", "s3://vault/mounted/m.txt"); !strings.Contains(out, "AES256") {
		t.Errorf("file written in the mount is not SSE-S3:\n%s", out)
	}
	if out := e.ok("stat", "s3://vault/synced/s.txt"); !strings.Contains(out, "aws:kms (key ") || !strings.Contains(out, "STANDARD_IA") {
		t.Errorf("synced file is not SSE-KMS in STANDARD_IA:\n%s", out)
	}
	d.stop(t, syscall.SIGTERM)
}
