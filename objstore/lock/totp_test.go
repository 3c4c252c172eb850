package lock

import (
	"testing"
	"time"
)

// TestTOTPVectors checks the SHA-1 test vectors of RFC 6238 (their last
// six digits), the codes every authenticator app shows.
func TestTOTPVectors(t *testing.T) {
	secret := secretEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471",
		1234567890: "005924", 2000000000: "279037", 20000000000: "353130",
	} {
		got, err := TOTP(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("TOTP at %d: %q %v, want %q", unix, got, err, want)
		}
		if !VerifyTOTP(secret, want, time.Unix(unix+30, 0)) {
			t.Errorf("code of %d refused one step later", unix)
		}
		if VerifyTOTP(secret, want, time.Unix(unix+120, 0)) {
			t.Errorf("code of %d accepted four steps later", unix)
		}
	}
}
