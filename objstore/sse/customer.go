package sse

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// CustomerAlgorithm is the one SSE-C algorithm S3 knows.
const CustomerAlgorithm = "AES256"

// KeyMD5 is the base64 MD5 of an SSE-C key, as S3 headers carry it.
func KeyMD5(key []byte) string {
	sum := md5.Sum(key)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// ParseCustomerKey reads the SSE-C headers of a request: the algorithm,
// the base64 key and its base64 MD5. All three empty means no SSE-C.
func ParseCustomerKey(alg, key64, md564 string) ([]byte, error) {
	if alg == "" && key64 == "" && md564 == "" {
		return nil, nil
	}
	if alg != CustomerAlgorithm {
		return nil, fmt.Errorf("customer algorithm %q: %w", alg, ErrNotSupported)
	}
	key, err := base64.StdEncoding.DecodeString(key64)
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("customer key of %d bytes: %w", len(key), ErrCustomerKeyInvalid)
	}
	if md564 != "" && md564 != KeyMD5(key) {
		return nil, fmt.Errorf("customer key md5 %q: %w", md564, ErrCustomerKeyMD5)
	}
	return key, nil
}

// IsCustomer tells whether a version is encrypted with an SSE-C key.
func IsCustomer(enc objstore.Encryption) bool { return enc.CustomerAlgorithm != "" }

// Encrypted tells whether enc describes encryption at rest of any kind.
func Encrypted(enc objstore.Encryption) bool {
	return enc.Algorithm != "" || enc.CustomerAlgorithm != "" || len(enc.CustomerKey) > 0
}

// CheckCustomerKey checks the SSE-C key a read gives for a version
// encrypted as enc: one is needed exactly when the version has one, and
// it must be the one the version was written with.
func CheckCustomerKey(enc objstore.Encryption, key []byte) error {
	switch {
	case !IsCustomer(enc) && key != nil:
		return ErrNotApplicable
	case !IsCustomer(enc):
		return nil
	case key == nil:
		return ErrCustomerKeyMissing
	case subtle.ConstantTimeCompare([]byte(KeyMD5(key)), []byte(enc.CustomerKeyMD5)) != 1:
		return fmt.Errorf("customer key of md5 %s: %w", KeyMD5(key), ErrCustomerKeyWrong)
	}
	return nil
}
