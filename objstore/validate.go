package objstore

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// ValidateBucketName checks a bucket name against S3's naming rules:
// 3 to 63 characters of lower-case letters, digits, dots and hyphens,
// beginning and ending with a letter or digit, no two adjacent dots, not
// an IPv4 address, and none of the prefixes and suffixes S3 reserves.
func ValidateBucketName(name string) error {
	bad := func(why string) error {
		return fmt.Errorf("bucket name %q %s: %w", name, why, ErrInvalidBucketName)
	}
	if len(name) < 3 || len(name) > 63 {
		return bad("must be 3 to 63 characters long")
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return bad("may hold only lower-case letters, digits, dots and hyphens")
		}
	}
	if !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
		return bad("must begin and end with a letter or digit")
	}
	if strings.Contains(name, "..") {
		return bad("must not hold two adjacent dots")
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return bad("must not be an IP address")
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return bad("must not begin with " + p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return bad("must not end with " + s)
		}
	}
	return nil
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// ValidateKey checks an object key: 1 to 1024 bytes of valid UTF-8.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("empty object key: %w", ErrInvalidArgument)
	case len(key) > MaxKeyLength:
		return fmt.Errorf("key of %d bytes (at most %d): %w", len(key), MaxKeyLength, ErrKeyTooLong)
	case !utf8.ValidString(key):
		return fmt.Errorf("key %q is not valid UTF-8: %w", key, ErrInvalidArgument)
	}
	return nil
}

// ValidateTags checks a tag set against S3's limits: at most 10 tags,
// keys of 1 to 128 and values of at most 256 characters.
func ValidateTags(tags Tags) error {
	if len(tags) > MaxTags {
		return fmt.Errorf("%d tags (at most %d): %w", len(tags), MaxTags, ErrInvalidTag)
	}
	for k, v := range tags {
		if err := ValidateTag(k, v); err != nil {
			return err
		}
	}
	return nil
}

// ValidateTag checks one tag: a key of 1 to 128 characters outside the
// reserved aws: prefix, and a value of at most 256.
func ValidateTag(k, v string) error {
	if n := utf8.RuneCountInString(k); n == 0 || n > MaxTagKeyLength {
		return fmt.Errorf("tag key %q must be 1 to %d characters: %w", k, MaxTagKeyLength, ErrInvalidTag)
	}
	if utf8.RuneCountInString(v) > MaxTagValueLength {
		return fmt.Errorf("tag %q value must be at most %d characters: %w", k, MaxTagValueLength, ErrInvalidTag)
	}
	if strings.HasPrefix(k, "aws:") {
		return fmt.Errorf("tag key %q uses the reserved aws: prefix: %w", k, ErrInvalidTag)
	}
	return nil
}

// ValidateMeta checks what a writer sets on an object: user metadata of at
// most 2 KiB (names plus values) and a known storage class.
func ValidateMeta(m *ObjectMeta) error {
	size := 0
	for k, v := range m.UserMetadata {
		size += len(k) + len(v)
	}
	if size > MaxUserMetadataSize {
		return fmt.Errorf("user metadata of %d bytes (at most %d): %w", size, MaxUserMetadataSize, ErrMetadataTooLarge)
	}
	if m.StorageClass != "" {
		if err := ValidateStorageClass(m.StorageClass); err != nil {
			return err
		}
	}
	return ValidateTags(m.Tags)
}

// ValidateStorageClass checks that c is one of StorageClasses.
func ValidateStorageClass(c StorageClass) error {
	for _, k := range StorageClasses {
		if c == k {
			return nil
		}
	}
	return fmt.Errorf("storage class %q: %w", c, ErrInvalidStorageClass)
}

// LowerMetadataKeys returns a copy of user metadata with lower-case
// names, the form every Store keeps and returns (S3 and HTTP treat the
// names case-insensitively); nil for none.
func LowerMetadataKeys(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}
