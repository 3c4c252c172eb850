package disk

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Key prefixes of the metadata store. Each record family lives in its own
// key range, so a scan of one never touches another.
const (
	prefixBucket  = 'B' // B bucket → bucketRecord
	prefixVersion = 'V' // V bucket key ^seq → versionRecord
	prefixLive    = 'L' // L bucket key → versionRecord of the current, live version
	prefixNull    = 'N' // N bucket key → seq of the key's null version
	prefixData    = 'D' // D id → inline object data
	prefixUpload  = 'U' // U bucket key uploadID → uploadRecord
	prefixPart    = 'P' // P uploadID partNumber → partRecord
	prefixMeta    = 'M' // M name → engine state (the seq lease)
)

// Strings inside keys are escaped so that byte order of encoded keys is
// byte order of the strings: 0x00 becomes 0x00 0xFF and each string ends
// with 0x00 0x01. A string that is a prefix of another therefore sorts
// first, as it does unencoded.
const (
	escByte  = 0x00
	escNul   = 0xFF
	escTerm  = 0x01
	seqBytes = 8
)

var errBadKey = errors.New("malformed metadata key")

// appendEscaped appends s escaped but not terminated: the encoded form of
// every string that begins with s begins with it.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = append(b, s[i])
		if s[i] == escByte {
			b = append(b, escNul)
		}
	}
	return b
}

// appendString appends s escaped and terminated.
func appendString(b []byte, s string) []byte {
	return append(appendEscaped(b, s), escByte, escTerm)
}

// readString decodes one escaped, terminated string from the front of b.
func readString(b []byte) (string, []byte, error) {
	if i := bytes.IndexByte(b, escByte); i >= 0 && i+1 < len(b) && b[i+1] == escTerm {
		return string(b[:i]), b[i+2:], nil // no escaped NUL inside
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != escByte {
			out = append(out, b[i])
			continue
		}
		if i+1 >= len(b) {
			return "", nil, errBadKey
		}
		switch b[i+1] {
		case escNul:
			out = append(out, escByte)
			i++
		case escTerm:
			return string(out), b[i+2:], nil
		default:
			return "", nil, errBadKey
		}
	}
	return "", nil, errBadKey
}

// prefixEnd returns the smallest key greater than every key that begins
// with p, or nil when there is none.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] != 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// keyOf returns a key of the given family over bucket and object key.
func keyOf(prefix byte, bucket, key string) []byte {
	b := make([]byte, 0, 1+len(bucket)+len(key)+4+seqBytes)
	b = append(b, prefix)
	b = appendString(b, bucket)
	return appendString(b, key)
}

// bucketPrefix returns the start of a family's keys in bucket.
func bucketPrefix(prefix byte, bucket string) []byte {
	return appendString([]byte{prefix}, bucket)
}

// keyPrefix returns the start of a family's keys in bucket whose object
// key begins with p.
func keyPrefix(family byte, bucket, p string) []byte {
	return appendEscaped(bucketPrefix(family, bucket), p)
}

func bucketKey(bucket string) []byte       { return appendString([]byte{prefixBucket}, bucket) }
func liveKey(bucket, key string) []byte    { return keyOf(prefixLive, bucket, key) }
func nullKey(bucket, key string) []byte    { return keyOf(prefixNull, bucket, key) }
func versionsOf(bucket, key string) []byte { return keyOf(prefixVersion, bucket, key) }
func metaKey(name string) []byte           { return append([]byte{prefixMeta}, name...) }
func dataKey(id fileID) []byte             { return append([]byte{prefixData}, id[:]...) }

// versionKey is the key of one version. The seq is stored inverted so
// that a key's newest version sorts first.
func versionKey(bucket, key string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(versionsOf(bucket, key), ^seq)
}

// parseVersionKey returns the object key and seq of a version key of
// bucket.
func parseVersionKey(bucket string, k []byte) (string, uint64, error) {
	rest := k[len(bucketPrefix(prefixVersion, bucket)):]
	key, rest, err := readString(rest)
	if err != nil || len(rest) != seqBytes {
		return "", 0, errBadKey
	}
	return key, ^binary.BigEndian.Uint64(rest), nil
}

// parseBucketKey returns the object key of a key-family key of bucket
// (L, N), ignoring whatever follows the key.
func parseObjectKey(family byte, bucket string, k []byte) (string, []byte, error) {
	p := bucketPrefix(family, bucket)
	if len(k) < len(p) {
		return "", nil, errBadKey
	}
	return readString(k[len(p):])
}

func uploadKey(bucket, key, uploadID string) []byte {
	return appendString(keyOf(prefixUpload, bucket, key), uploadID)
}

func partsOf(uploadID string) []byte {
	return appendString([]byte{prefixPart}, uploadID)
}

func partKey(uploadID string, n int) []byte {
	return binary.BigEndian.AppendUint32(partsOf(uploadID), uint32(n))
}
