package objstore

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"

	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// ChecksumAlgorithm names one of S3's additional checksum algorithms.
type ChecksumAlgorithm string

// The checksum algorithms of S3.
const (
	ChecksumCRC32     ChecksumAlgorithm = "CRC32"
	ChecksumCRC32C    ChecksumAlgorithm = "CRC32C"
	ChecksumCRC64NVME ChecksumAlgorithm = "CRC64NVME"
	ChecksumSHA1      ChecksumAlgorithm = "SHA1"
	ChecksumSHA256    ChecksumAlgorithm = "SHA256"
)

// Checksum types: of the whole object, or of the parts' checksums.
const (
	ChecksumTypeFullObject = "FULL_OBJECT"
	ChecksumTypeComposite  = "COMPOSITE"
)

var (
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
	// nvme is the reflected CRC-64/NVME polynomial.
	nvme = crc64.MakeTable(0x9a6c9329ac4bc9b5)
)

// ParseChecksumAlgorithm accepts an algorithm name in any case.
func ParseChecksumAlgorithm(s string) (ChecksumAlgorithm, error) {
	a := ChecksumAlgorithm(strings.ToUpper(s))
	switch a {
	case ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256:
		return a, nil
	}
	return "", fmt.Errorf("checksum algorithm %q: %w", s, ErrInvalidChecksumAlgorithm)
}

// NewHash returns a fresh hash of the algorithm. Its Sum is the
// big-endian digest S3 encodes in base64.
func (a ChecksumAlgorithm) NewHash() (hash.Hash, error) {
	switch a {
	case ChecksumCRC32:
		return crc32.NewIEEE(), nil
	case ChecksumCRC32C:
		return crc32.New(castagnoli), nil
	case ChecksumCRC64NVME:
		return crc64.New(nvme), nil
	case ChecksumSHA1:
		return sha1.New(), nil
	case ChecksumSHA256:
		return sha256.New(), nil
	}
	return nil, fmt.Errorf("checksum algorithm %q: %w", a, ErrInvalidChecksumAlgorithm)
}

// EncodeChecksum returns the base64 form of a digest, as S3 headers carry it.
func EncodeChecksum(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// CompositeChecksum is S3's checksum of a multipart object: the algorithm
// over the concatenated binary part checksums, then "-N".
func CompositeChecksum(a ChecksumAlgorithm, partValues []string) (string, error) {
	h, err := a.NewHash()
	if err != nil {
		return "", err
	}
	for i, v := range partValues {
		raw, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return "", fmt.Errorf("part %d checksum %q: %w", i+1, v, ErrInvalidDigest)
		}
		h.Write(raw)
	}
	return fmt.Sprintf("%s-%d", EncodeChecksum(h.Sum(nil)), len(partValues)), nil
}
