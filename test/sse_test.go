package test

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestEncryptionAtRest drives SSE-S3, SSE-KMS (with a key created and
// rotated by cairn admin kms while the server runs), DSSE-KMS, SSE-C and
// bucket default encryption through boto3 over HTTPS, then checks that no
// plaintext of the objects is anywhere under the data directory.
func TestEncryptionAtRest(t *testing.T) {
	py := needBoto3(t)
	dir := t.TempDir()
	cert, key := writeSelfSignedCert(t, dir)
	s := startServe(t, "--tls-cert", cert, "--tls-key", key)
	keyID := strings.TrimSpace(s.run(t, cairnBinary(t), "--data", s.dataDir, "admin", "kms", "create-key", "--alias", "alias/e2e"))
	big, small := make([]byte, 1<<20), make([]byte, 200)
	rand.Read(big)
	rand.Read(small)
	bigFile, smallFile := filepath.Join(dir, "big"), filepath.Join(dir, "small")
	writeFile(t, bigFile, string(big))
	writeFile(t, smallFile, string(small))
	out := s.runEnv(t, []string{"AWS_CA_BUNDLE=" + cert}, py, testdataPath("sse_check.py"),
		cairnBinary(t), s.dataDir, keyID, bigFile, smallFile)
	if !strings.Contains(out, "ok") {
		t.Fatalf("sse_check.py: %s", out)
	}
	keys := s.run(t, cairnBinary(t), "--data", s.dataDir, "admin", "kms", "list-keys")
	if !regexp.MustCompile(keyID+`\s+alias/e2e\s+2\s+Enabled`).MatchString(keys) || !strings.Contains(keys, "alias/aws/s3") {
		t.Errorf("list-keys after a rotation and the default key's first use:\n%s", keys)
	}
	s.stop(t)
	if where := plaintextUnder(t, s.dataDir, big, small); where != "" {
		t.Fatalf("plaintext of an encrypted object found in %s", where)
	}
	audit, err := os.ReadFile(filepath.Join(s.dataDir, "keys", "audit.log"))
	if err != nil || !bytes.Contains(audit, []byte(`"op":"RotateKey"`)) || !bytes.Contains(audit, []byte(keyID)) {
		t.Fatalf("audit log lacks the key's uses (%v)", err)
	}
}

// TestSSECustomerKeyRefusedOverHTTP checks that an SSE-C key sent in the
// clear is refused, as S3 refuses it.
func TestSSECustomerKeyRefusedOverHTTP(t *testing.T) {
	s := startServe(t)
	aws := awsCLI(t)
	s.run(t, aws, "--endpoint-url", s.endpoint, "s3", "mb", "s3://plainhttp")
	f := filepath.Join(t.TempDir(), "f")
	writeFile(t, f, "secret")
	out, err := s.try(t, aws, "--endpoint-url", s.endpoint, "s3api", "put-object", "--bucket", "plainhttp", "--key", "k", "--body", f,
		"--sse-customer-algorithm", "AES256", "--sse-customer-key", strings.Repeat("k", 32))
	if err == nil || !strings.Contains(out, "InvalidRequest") || !strings.Contains(out, "secure connection") {
		t.Fatalf("SSE-C PUT over plain HTTP: %v\n%s", err, out)
	}
}

func needBoto3(t *testing.T) string {
	t.Helper()
	py := needTool(t, "/usr/bin/python3")
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		needTool(t, "boto3 (Debian package python3-boto3)")
	}
	return py
}

func testdataPath(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", name)
}

// plaintextUnder returns a file under dir that holds any 16 aligned bytes
// of the payloads (so any stored copy of them, at any offset), or "".
func plaintextUnder(t *testing.T, dir string, payloads ...[]byte) string {
	t.Helper()
	blocks := map[[16]byte]bool{}
	for _, p := range payloads {
		for i := 0; i+16 <= len(p); i += 16 {
			blocks[[16]byte(p[i:i+16])] = true
		}
	}
	var found string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("read %s: %v", path, err)
			return nil
		}
		for i := 0; i+16 <= len(b); i++ {
			if blocks[[16]byte(b[i:i+16])] {
				found = path
				return nil
			}
		}
		return nil
	})
	return found
}
