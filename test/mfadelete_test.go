package test

import (
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore/lock"
)

// mfaDevice registers a TOTP device with `cairn admin mfa add` on the
// server's data directory and returns its serial and secret.
func mfaDevice(t *testing.T, s *server, user string) (serial, secret string) {
	t.Helper()
	out := s.run(t, cairnBinary(t), "admin", "mfa", "add", user, "--data", s.dataDir)
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "serial: "); ok {
			serial = v
		}
		if v, ok := strings.CutPrefix(line, "secret: "); ok {
			secret = v
		}
		if v, ok := strings.CutPrefix(line, "uri: "); ok && !strings.HasPrefix(v, "otpauth://totp/") {
			t.Errorf("cairn admin mfa add printed URI %q, want an otpauth://totp/ URI", v)
		}
	}
	if serial == "" || secret == "" {
		t.Fatalf("cairn admin mfa add printed no serial or secret: %q", out)
	}
	return serial, secret
}

// mfaHeader is an x-amz-mfa value with the device's code at t.
func mfaHeader(t *testing.T, serial, secret string, at time.Time) string {
	t.Helper()
	code, err := lock.TOTP(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return serial + " " + code
}

// wrongMFA is an x-amz-mfa value with a code the device does not show
// now (nor one step before or after).
func wrongMFA(t *testing.T, serial, secret string) string {
	t.Helper()
	for d := time.Hour; ; d += time.Minute {
		h := mfaHeader(t, serial, secret, time.Now().Add(d))
		_, code, _ := strings.Cut(h, " ")
		if !lock.VerifyTOTP(secret, code, time.Now()) && !lock.VerifyTOTP(secret, code, time.Now().Add(time.Minute)) {
			return h
		}
	}
}

// TestMFADelete: with MFA delete on, removing a version and changing
// versioning need the current TOTP code of the requester's own device; a
// wrong code, or another user's device, is refused.
func TestMFADelete(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	serial, secret := mfaDevice(t, s, "root")
	if list := s.run(t, cairnBinary(t), "admin", "mfa", "list", "--data", s.dataDir); !strings.Contains(list, serial) {
		t.Fatalf("cairn admin mfa list does not show %s:\n%s", serial, list)
	}
	s.aws(t, "s3api", "create-bucket", "--bucket", "guarded")
	enable := []string{"s3api", "put-bucket-versioning", "--bucket", "guarded", "--versioning-configuration", "Status=Enabled,MFADelete=Enabled"}
	s.awsFails(t, "AccessDenied", enable...)
	s.awsFails(t, "AccessDenied", append(enable, "--mfa", wrongMFA(t, serial, secret))...)
	s.aws(t, append(enable, "--mfa", mfaHeader(t, serial, secret, time.Now()))...)
	var ver struct{ Status, MFADelete string }
	s.awsJSON(t, &ver, "s3api", "get-bucket-versioning", "--bucket", "guarded")
	if ver.Status != "Enabled" || ver.MFADelete != "Enabled" {
		t.Fatalf("get-bucket-versioning: %+v, want Enabled with MFADelete Enabled", ver)
	}

	id := putVersion(t, s, "guarded", "payroll.csv")
	del := []string{"s3api", "delete-object", "--bucket", "guarded", "--key", "payroll.csv", "--version-id", id}
	s.awsFails(t, "AccessDenied", del...)
	s.awsFails(t, "AccessDenied", append(del, "--mfa", wrongMFA(t, serial, secret))...)
	s.awsFails(t, "AccessDenied", "s3api", "put-bucket-versioning", "--bucket", "guarded", "--versioning-configuration", "Status=Suspended")
	if out := s.aws(t, "s3api", "delete-object", "--bucket", "guarded", "--key", "payroll.csv"); !strings.Contains(out, "DeleteMarker") {
		t.Fatalf("delete without a version ID under MFA delete: %q, want a delete marker", out)
	}
	s.run(t, cairnBinary(t), "admin", "user", "add", "alice", "--data", s.dataDir)
	aliceSerial, aliceSecret := mfaDevice(t, s, "alice")
	s.awsFails(t, "AccessDenied", append(del, "--mfa", mfaHeader(t, aliceSerial, aliceSecret, time.Now()))...)
	if out, err := s.try(t, cairnBinary(t), "admin", "mfa", "add", "nobody", "--data", s.dataDir); err == nil {
		t.Errorf("cairn admin mfa add for a user that does not exist succeeded: %s", out)
	}
	// A code counts once: the next step's code, which the server also
	// accepts, since the current one enabled MFA delete.
	s.aws(t, append(del, "--mfa", mfaHeader(t, serial, secret, time.Now().Add(30*time.Second)))...)
	s.awsFails(t, "404", "s3api", "head-object", "--bucket", "guarded", "--key", "payroll.csv", "--version-id", id)
}
