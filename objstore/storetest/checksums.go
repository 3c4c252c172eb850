package storetest

import (
	"encoding/base64"
	"encoding/hex"

	"github.com/cairnfs/cairn/objstore"
)

// checkInput is the input of the published CRC check values.
const checkInput = "123456789"

// checkValues are each algorithm's digest of "123456789" in hex, big
// endian: the standard CRC check values and the SHA digests.
var checkValues = map[objstore.ChecksumAlgorithm]string{
	objstore.ChecksumCRC32:     "cbf43926",
	objstore.ChecksumCRC32C:    "e3069283",
	objstore.ChecksumCRC64NVME: "ae8b14860a799888",
	objstore.ChecksumSHA1:      "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
	objstore.ChecksumSHA256:    "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
}

// checkValue is the base64 form of an algorithm's check value, as S3
// headers carry it.
func checkValue(a objstore.ChecksumAlgorithm) string {
	raw, err := hex.DecodeString(checkValues[a])
	if err != nil {
		panic("storetest: bad check value table: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// checksumOf computes the base64 checksum of data with a.
func checksumOf(a objstore.ChecksumAlgorithm, data []byte) string {
	h, err := a.NewHash()
	if err != nil {
		panic("storetest: " + err.Error())
	}
	h.Write(data)
	return objstore.EncodeChecksum(h.Sum(nil))
}

var checksumAlgorithms = []objstore.ChecksumAlgorithm{
	objstore.ChecksumCRC32, objstore.ChecksumCRC32C, objstore.ChecksumCRC64NVME,
	objstore.ChecksumSHA1, objstore.ChecksumSHA256,
}

func checksumCases() []testCase {
	var cases []testCase
	for _, a := range checksumAlgorithms {
		cases = append(cases,
			testCase{string(a) + "/Computed", func(e *env) { testChecksumComputed(e, a) }},
			testCase{string(a) + "/Verified", func(e *env) { testChecksumVerified(e, a) }},
			testCase{string(a) + "/Mismatch", func(e *env) { testChecksumMismatch(e, a) }},
		)
	}
	return cases
}

// checkChecksum fails the test unless c is a full-object checksum of a
// with the given value.
func (e *env) checkChecksum(what string, c *objstore.Checksum, a objstore.ChecksumAlgorithm, value string) {
	e.t.Helper()
	if c == nil {
		e.t.Fatalf("%s: no checksum, want %s %s", what, a, value)
	}
	if c.Algorithm != a || c.Value != value {
		e.t.Fatalf("%s: checksum %s %s, want %s %s", what, c.Algorithm, c.Value, a, value)
	}
}

func testChecksumComputed(e *env, a objstore.ChecksumAlgorithm) {
	b := e.bucket()
	inputs := map[string][]byte{"check": []byte(checkInput), "big": fill(200<<10, 5), "empty": nil}
	for k, data := range inputs {
		want := checksumOf(a, data)
		if k == "check" && want != checkValue(a) {
			e.t.Fatalf("the suite's own %s of %q is %s, want %s", a, checkInput, want, checkValue(a))
		}
		info := e.putOpts(b, k, data, objstore.PutOptions{Checksum: &objstore.Checksum{Algorithm: a}})
		e.checkChecksum("put "+k, info.Checksum, a, want)
		head := e.head(b, k, objstore.GetOptions{})
		e.checkChecksum("head "+k, head.Checksum, a, want)
		if head.Checksum.Type != objstore.ChecksumTypeFullObject {
			e.t.Fatalf("head %s: checksum type %q, want %s", k, head.Checksum.Type, objstore.ChecksumTypeFullObject)
		}
		_, obj := e.get(b, k, objstore.GetOptions{})
		e.checkChecksum("get "+k, obj.Info.Checksum, a, want)
	}
}

func testChecksumVerified(e *env, a objstore.ChecksumAlgorithm) {
	b := e.bucket()
	data := []byte(checkInput)
	opts := objstore.PutOptions{Checksum: &objstore.Checksum{Algorithm: a, Value: checkValue(a)}}
	info := e.putOpts(b, "k", data, opts)
	e.checkChecksum("put", info.Checksum, a, checkValue(a))
	e.expectBody(b, "k", data)
	big := fill(100<<10, 6)
	opts.Checksum.Value = checksumOf(a, big)
	e.putOpts(b, "big", big, opts)
	e.checkChecksum("head big", e.head(b, "big", objstore.GetOptions{}).Checksum, a, checksumOf(a, big))
}

func testChecksumMismatch(e *env, a objstore.ChecksumAlgorithm) {
	b := e.bucket()
	e.putString(b, "k", "previous")
	for _, data := range [][]byte{[]byte("12345678X"), fill(100<<10, 8)} {
		opts := objstore.PutOptions{Checksum: &objstore.Checksum{Algorithm: a, Value: checkValue(a)}}
		_, err := e.tryPut(b, "k", data, opts)
		mustErr(e.t, err, objstore.ErrBadDigest)
		_, err = e.tryPut(b, "new", data, opts)
		mustErr(e.t, err, objstore.ErrBadDigest)
	}
	if got := e.getString(b, "k"); got != "previous" {
		e.t.Fatalf("object after a checksum mismatch: %q", got)
	}
	e.expectMissing(b, "new")
}
