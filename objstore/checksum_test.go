package objstore_test

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// checkValues are each algorithm's digest of "123456789": the published
// CRC check values (CRC-32/ISO-HDLC, CRC-32C, CRC-64/NVME) and the SHA
// digests.
var checkValues = map[objstore.ChecksumAlgorithm]string{
	objstore.ChecksumCRC32:     "cbf43926",
	objstore.ChecksumCRC32C:    "e3069283",
	objstore.ChecksumCRC64NVME: "ae8b14860a799888",
	objstore.ChecksumSHA1:      "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
	objstore.ChecksumSHA256:    "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
}

func TestChecksumCheckValues(t *testing.T) {
	for a, want := range checkValues {
		h, err := a.NewHash()
		if err != nil {
			t.Fatalf("%s.NewHash: %v", a, err)
		}
		h.Write([]byte("123456789"))
		sum := h.Sum(nil)
		if got := hex.EncodeToString(sum); got != want {
			t.Errorf("%s of \"123456789\" = %s, want %s", a, got, want)
		}
		raw, _ := hex.DecodeString(want)
		if got := objstore.EncodeChecksum(sum); got != base64.StdEncoding.EncodeToString(raw) {
			t.Errorf("%s encoded as %q", a, got)
		}
	}
}

func TestChecksumHashesAreFresh(t *testing.T) {
	for a := range checkValues {
		h1, _ := a.NewHash()
		h1.Write([]byte("dirty"))
		h2, _ := a.NewHash()
		h2.Write([]byte("123456789"))
		if got := hex.EncodeToString(h2.Sum(nil)); got != checkValues[a] {
			t.Errorf("%s: a second hash shares state with the first", a)
		}
	}
}

func TestParseChecksumAlgorithm(t *testing.T) {
	for _, name := range []string{"crc32", "CRC32", "crc32c", "Crc64Nvme", "sha1", "SHA256"} {
		a, err := objstore.ParseChecksumAlgorithm(name)
		if err != nil {
			t.Errorf("ParseChecksumAlgorithm(%q): %v", name, err)
			continue
		}
		if string(a) != strings.ToUpper(name) {
			t.Errorf("ParseChecksumAlgorithm(%q) = %q", name, a)
		}
	}
	for _, name := range []string{"", "md5", "crc16", "sha512", "crc64"} {
		_, err := objstore.ParseChecksumAlgorithm(name)
		if !errors.Is(err, objstore.ErrInvalidChecksumAlgorithm) {
			t.Errorf("ParseChecksumAlgorithm(%q): %v, want InvalidRequest", name, err)
		}
	}
	if _, err := objstore.ChecksumAlgorithm("MD5").NewHash(); !errors.Is(err, objstore.ErrInvalidChecksumAlgorithm) {
		t.Errorf("NewHash of MD5: %v, want InvalidRequest", err)
	}
}

// crc32cOf is the raw big-endian CRC32C of data, computed apart from the
// package under test.
func crc32cOf(data string) []byte {
	v := crc32.Checksum([]byte(data), crc32.MakeTable(crc32.Castagnoli))
	return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

func TestCompositeChecksum(t *testing.T) {
	parts := []string{"first part", "second part", "third"}
	var values []string
	var concat []byte
	for _, p := range parts {
		raw := crc32cOf(p)
		values = append(values, base64.StdEncoding.EncodeToString(raw))
		concat = append(concat, raw...)
	}
	want := base64.StdEncoding.EncodeToString(crc32cOf(string(concat))) + "-3"
	got, err := objstore.CompositeChecksum(objstore.ChecksumCRC32C, values)
	if err != nil {
		t.Fatalf("CompositeChecksum: %v", err)
	}
	if got != want {
		t.Errorf("CompositeChecksum = %q, want %q", got, want)
	}
	one, err := objstore.CompositeChecksum(objstore.ChecksumCRC32C, values[:1])
	if err != nil || !strings.HasSuffix(one, "-1") || one == values[0]+"-1" {
		t.Errorf("composite of one part = %q, %v: want the checksum of its checksum, then -1", one, err)
	}
}

func TestCompositeChecksumErrors(t *testing.T) {
	_, err := objstore.CompositeChecksum(objstore.ChecksumSHA256, []string{"AAAA", "not base64!"})
	if !errors.Is(err, objstore.ErrInvalidDigest) {
		t.Errorf("composite over a malformed part checksum: %v, want InvalidDigest", err)
	}
	_, err = objstore.CompositeChecksum("MD5", []string{"AAAA"})
	if !errors.Is(err, objstore.ErrInvalidChecksumAlgorithm) {
		t.Errorf("composite with MD5: %v, want InvalidRequest", err)
	}
}
