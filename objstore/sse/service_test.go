package sse

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

func openService(t *testing.T, dir string) *Service {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// roundTrip makes a data key for enc and checks that it opens again to a
// key that decrypts what it encrypted.
func roundTrip(t *testing.T, s *Service, enc objstore.Encryption) (objstore.Encryption, []byte, []byte) {
	t.Helper()
	ctx := context.Background()
	k, sealed, out, err := s.NewDataKey(ctx, enc, Use{Bucket: "b", Key: "k"})
	if err != nil {
		t.Fatalf("NewDataKey(%+v): %v", enc, err)
	}
	data, _ := Encrypt(k, []byte("secret"))
	k2, err := s.OpenDataKey(ctx, out, sealed, enc.CustomerKey, Use{Bucket: "b", Key: "k"})
	if err != nil {
		t.Fatalf("OpenDataKey(%+v): %v", out, err)
	}
	if got, err := Decrypt(k2, data, 6); err != nil || string(got) != "secret" {
		t.Fatalf("data key reopened does not decrypt: %v", err)
	}
	return out, sealed, data
}

func TestSSES3MasterKeyMadeOnFirstUse(t *testing.T) {
	dir := t.TempDir()
	s := openService(t, dir)
	out, _, _ := roundTrip(t, s, objstore.Encryption{Algorithm: "AES256"})
	if out.Algorithm != "AES256" {
		t.Fatalf("recorded %+v", out)
	}
	fi, err := os.Stat(filepath.Join(dir, masterFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("master key file: %v, mode %v", err, fi.Mode())
	}
}

func TestKMSRotateDisableAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	server, admin := openService(t, dir), openService(t, dir)
	info, err := admin.CreateKey(ctx, "alias/photos", "test")
	if err != nil {
		t.Fatal(err)
	}
	enc := objstore.Encryption{Algorithm: "aws:kms", KMSKeyID: "alias/photos"}
	out, sealed1, data1 := roundTrip(t, server, enc)
	if out.KMSKeyID != info.ID {
		t.Fatalf("alias resolved to %q, want %q", out.KMSKeyID, info.ID)
	}
	if _, err := admin.RotateKey(ctx, info.ID); err != nil {
		t.Fatal(err)
	}
	_, sealed2, _ := roundTrip(t, server, objstore.Encryption{Algorithm: "aws:kms", KMSKeyID: info.ID})
	e1, _ := decodeEnvelope(sealed1)
	e2, _ := decodeEnvelope(sealed2)
	if e1.keyVersion != 1 || e2.keyVersion != 2 {
		t.Fatalf("key versions %d then %d, want 1 then 2", e1.keyVersion, e2.keyVersion)
	}
	k, err := server.OpenDataKey(ctx, out, sealed1, nil, Use{})
	if err != nil {
		t.Fatalf("a data key sealed before the rotation: %v", err)
	}
	if got, _ := Decrypt(k, data1, 6); string(got) != "secret" {
		t.Fatal("old data unreadable after rotation")
	}
	if _, err := admin.SetKeyEnabled(ctx, "alias/photos", false); err != nil {
		t.Fatal(err)
	}
	if _, err := server.OpenDataKey(ctx, out, sealed1, nil, Use{}); !errors.Is(err, ErrKMSDisabled) {
		t.Fatalf("open under a disabled key: %v", err)
	}
	if _, _, _, err := server.NewDataKey(ctx, enc, Use{}); !errors.Is(err, ErrKMSDisabled) {
		t.Fatalf("seal under a disabled key: %v", err)
	}
	if _, _, _, err := server.NewDataKey(ctx, objstore.Encryption{Algorithm: "aws:kms", KMSKeyID: "nope"}, Use{}); !errors.Is(err, ErrKMSNotFound) {
		t.Fatalf("seal under a missing key: %v", err)
	}
	ops := auditOps(t, dir)
	for _, want := range []string{"CreateKey", "GenerateDataKey", "Decrypt", "RotateKey", "DisableKey"} {
		if ops[want] == 0 {
			t.Errorf("audit log has no %s entry (has %v)", want, ops)
		}
	}
}

func auditOps(t *testing.T, dir string) map[string]int {
	f, err := os.Open(filepath.Join(dir, auditFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ops := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		ops[e.Op]++
	}
	return ops
}

func TestDefaultKMSKeyAndDSSE(t *testing.T) {
	s := openService(t, t.TempDir())
	out, sealed, _ := roundTrip(t, s, objstore.Encryption{Algorithm: "aws:kms:dsse"})
	keys, _ := s.ListKeys(context.Background())
	if len(keys) != 1 || keys[0].Aliases[0] != DefaultKMSAlias || out.KMSKeyID != keys[0].ID {
		t.Fatalf("default key: %+v, recorded %+v", keys, out)
	}
	k, _ := s.OpenDataKey(context.Background(), out, sealed, nil, Use{})
	if k.Layers() != 2 {
		t.Fatalf("DSSE data key has %d layers", k.Layers())
	}
}

func TestCustomerKey(t *testing.T) {
	s := openService(t, t.TempDir())
	key := randomBytes(KeySize)
	out, sealed, _ := roundTrip(t, s, objstore.Encryption{CustomerKey: key})
	if out.CustomerKeyMD5 != KeyMD5(key) || out.CustomerKey != nil {
		t.Fatalf("recorded %+v", out)
	}
	ctx := context.Background()
	if _, err := s.OpenDataKey(ctx, out, sealed, randomBytes(KeySize), Use{}); !errors.Is(err, ErrCustomerKeyWrong) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := s.OpenDataKey(ctx, out, sealed, nil, Use{}); !errors.Is(err, ErrCustomerKeyMissing) {
		t.Fatalf("no key: %v", err)
	}
	if _, err := ParseCustomerKey("AES256", "AAAA", ""); !errors.Is(err, ErrCustomerKeyInvalid) {
		t.Fatalf("short key: %v", err)
	}
}

// Naming the default key before anything used it creates it, as AWS
// does: by alias, by the alias's ARN, and when asking for its ID.
func TestDefaultKMSKeyNamedBeforeFirstUse(t *testing.T) {
	for _, ref := range []string{DefaultKMSAlias, "arn:aws:kms:us-east-1:000000000000:alias/aws/s3"} {
		s := openService(t, t.TempDir())
		out, _, _ := roundTrip(t, s, objstore.Encryption{Algorithm: "aws:kms", KMSKeyID: ref})
		id, err := s.KeyID(ref)
		if err != nil || id != out.KMSKeyID {
			t.Fatalf("%s: KeyID %q %v, the data key's %q", ref, id, err, out.KMSKeyID)
		}
	}
	s := openService(t, t.TempDir())
	if _, err := s.KeyID(DefaultKMSAlias); err != nil {
		t.Fatalf("KeyID of the default key before any use: %v", err)
	}
}
