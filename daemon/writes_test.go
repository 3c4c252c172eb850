package daemon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// TestWriteSettingsParse: mounts and syncs take the encryption and
// storage class settings of cairn mount and cairn sync; a relative SSE-C
// key file is taken from the config's directory and read at load.
func TestWriteSettingsParse(t *testing.T) {
	dir := t.TempDir()
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ParseConfig(filepath.Join(dir, "c.yaml"), []byte(`
mounts:
  - {name: m, target: s3://b, mountpoint: /m, sse: aws:kms, sse_kms_key_id: alias/photos, storage_class: STANDARD_IA}
  - {name: k, target: s3://k, mountpoint: /k, sse_kms_key_id: alias/implied}
syncs:
  - {name: s, local: /l, remote: s3://b, sse_c_key_file: c.key}
`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Mounts[0].defaults()
	if err != nil || m.Encryption.Algorithm != "aws:kms" || m.Encryption.KMSKeyID != "alias/photos" || m.StorageClass != objstore.StorageClass("STANDARD_IA") {
		t.Errorf("mount m writes with %+v (%v)", m, err)
	}
	if k, err := c.Mounts[1].defaults(); err != nil || k.Encryption.Algorithm != "aws:kms" {
		t.Errorf("mount k (a KMS key alone) writes with %+v (%v), want aws:kms", k, err)
	}
	s := c.Syncs[0]
	if s.SSECKeyFile != filepath.Join(dir, "c.key") {
		t.Errorf("sse_c_key_file %q, want it under the config's directory", s.SSECKeyFile)
	}
	if d, err := s.defaults(); err != nil || string(d.Encryption.CustomerKey) != string(key) {
		t.Errorf("sync s writes with %+v (%v), want the key of c.key", d, err)
	}
}

// TestBadWriteSettingsNameTheirLine: a wrong setting fails the load with
// the line of the key at fault.
func TestBadWriteSettingsNameTheirLine(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.key")
	if err := os.WriteFile(short, []byte("too short"), 0o600); err != nil {
		t.Fatal(err)
	}
	entry := "mounts:\n  - name: m\n    target: s3://b\n    mountpoint: /m\n"
	sync := "syncs:\n  - name: s\n    local: /l\n    remote: s3://b\n"
	cases := []configErrorCase{
		{"bad algorithm", entry + "    sse: aes\n", `c.yaml:5: sse "aes": want AES256, aws:kms or aws:kms:dsse`},
		{"key id without kms", entry + "    sse: AES256\n    sse_kms_key_id: alias/x\n", `c.yaml:6: sse_kms_key_id goes with sse aws:kms or aws:kms:dsse`},
		{"sse and sse-c", sync + "    sse: AES256\n    sse_c_key_file: " + short + "\n", `c.yaml:6: sse and sse_c_key_file do not go together`},
		{"short key", sync + "    sse_c_key_file: " + short + "\n", `c.yaml:5: sse_c_key_file ` + short + `: want 32 bytes, raw or in base64`},
		{"missing key", sync + "    sse_c_key_file: " + filepath.Join(dir, "none") + "\n", `c.yaml:5: sse_c_key_file ` + filepath.Join(dir, "none") + `: read SSE-C key`},
		{"bad class", entry + "    storage_class: COLD\n", `c.yaml:5: storage_class "COLD": want one of`},
	}
	checkConfigErrors(t, cases)
}
