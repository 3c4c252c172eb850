package test

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsWriteEncrypted writes through cairn cp, cairn sync and
// cairn mount with their encryption flags, reads everything back, and
// finds none of it in the clear under the data directory.
func TestCommandsWriteEncrypted(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	c.ok("mb", "s3://enc-cli")
	key := filepath.Join(dir, "sse-c.key")
	k := make([]byte, 32)
	rand.Read(k)
	writeFile(t, key, string(k))
	var payloads [][]byte
	payload := func(name string, n int) string {
		b := make([]byte, n)
		rand.Read(b)
		payloads = append(payloads, b)
		p := filepath.Join(dir, name)
		writeFile(t, p, string(b))
		return p
	}

	// cp with an SSE-C key: readable with the key only.
	src := payload("cp-src", 300<<10)
	c.ok("cp", "--sse-c-key-file", key, src, "s3://enc-cli/c")
	back := filepath.Join(dir, "back")
	if msg := c.fails(1, "cp", "s3://enc-cli/c", back); !strings.Contains(msg, "Server Side Encryption") {
		t.Errorf("cp of an SSE-C object without its key: %s", msg)
	}
	c.ok("cp", "--sse-c-key-file", key, "s3://enc-cli/c", back)
	if !bytes.Equal(mustRead(t, back), mustRead(t, src)) {
		t.Fatal("SSE-C object read back with its key differs")
	}

	// sync with SSE-KMS and a storage class.
	folder := filepath.Join(dir, "folder")
	os.Mkdir(folder, 0o755)
	os.Rename(payload("s1", 100<<10), filepath.Join(folder, "s1"))
	os.Rename(payload("s2", 3000), filepath.Join(folder, "s2"))
	if r := c.runIn(nil, "sync", "--once", "--sse", "aws:kms", "--storage-class", "STANDARD_IA", folder, "s3://enc-cli/sync"); r.code != 0 {
		t.Fatalf("cairn sync: exit %d\n%s", r.code, r.stderr)
	}
	if out := c.ok("stat", "s3://enc-cli/sync/s2"); !strings.Contains(out, "STANDARD_IA") || !strings.Contains(out, "aws:kms (key ") {
		t.Errorf("synced file's storage class: %s", out)
	}

	// mount with DSSE-KMS, where FUSE is available.
	if _, err := os.Stat("/dev/fuse"); err == nil {
		mountWriteEncrypted(t, c, payload("m1", 200<<10))
	}
	if where := plaintextUnder(t, c.data, payloads...); where != "" {
		t.Fatalf("plaintext of an encrypted object found in %s", where)
	}
	c.ok("cp", "s3://enc-cli/sync/s1", back)
	if !bytes.Equal(mustRead(t, back), mustRead(t, filepath.Join(folder, "s1"))) {
		t.Fatal("synced SSE-KMS object read back differs")
	}
}

// mountWriteEncrypted copies file into a mount made with --sse aws:kms:dsse.
func mountWriteEncrypted(t *testing.T, c *cli, file string) {
	t.Helper()
	mnt, stage := filepath.Join(t.TempDir(), "mnt"), t.TempDir()
	os.Mkdir(mnt, 0o755)
	unmountAtEnd(t, mnt)
	cmd := c.command("mount", "--staging-dir", stage, "--sse", "aws:kms:dsse", "s3://enc-cli", mnt)
	cmd.Env = append(cmd.Env, "XDG_CACHE_HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cairn mount: %v\n%s", err, out)
	}
	if out, err := exec.Command("cp", file, filepath.Join(mnt, "m1")).CombinedOutput(); err != nil {
		t.Fatalf("cp into the mount: %v\n%s", err, out)
	}
	c.ok("unmount", mnt)
	waitUnlocked(t, c.bin, c.data)
	got := filepath.Join(t.TempDir(), "m1")
	c.ok("cp", "s3://enc-cli/m1", got)
	if !bytes.Equal(mustRead(t, got), mustRead(t, file)) {
		t.Fatal("file written through the mount reads back different")
	}
}
