package lock

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTP parameters (RFC 6238 defaults, what authenticator apps expect).
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	// totpSkew is how many steps before and after now a code is accepted,
	// for clocks that drift apart.
	totpSkew = 1
)

// secretEncoding is how secrets are written: base32 without padding, as
// otpauth URIs carry them.
var secretEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// TOTP returns the code of secret (base32) for the time step holding t.
func TOTP(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(totpStepAt(t))), nil
}

// VerifyTOTP tells whether code is secret's code at t, give or take one
// time step.
func VerifyTOTP(secret, code string, t time.Time) bool {
	_, ok := MatchTOTP(secret, code, t)
	return ok
}

// MatchTOTP returns the time step whose code code is, when it is one of
// secret's codes at t give or take one step.
func MatchTOTP(secret, code string, t time.Time) (int64, bool) {
	key, err := decodeSecret(secret)
	if err != nil || len(code) != totpDigits {
		return 0, false
	}
	now := totpStepAt(t)
	for d := -totpSkew; d <= totpSkew; d++ {
		want := hotp(key, uint64(now+int64(d)))
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return now + int64(d), true
		}
	}
	return 0, false
}

// totpStepAt is the time step holding t.
func totpStepAt(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// hotp is the HOTP value (RFC 4226) of key at counter.
func hotp(key []byte, counter uint64) string {
	mac := hmac.New(sha1.New, key)
	mac.Write(binary.BigEndian.AppendUint64(nil, counter))
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

func decodeSecret(secret string) ([]byte, error) {
	key, err := secretEncoding.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("TOTP secret is not base32")
	}
	return key, nil
}
