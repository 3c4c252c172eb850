package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing/iotest"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// roundTripSizes straddle the sizes where a store may change how it keeps
// an object: empty, tiny, a page, the 64 KiB inline threshold, and several MiB.
var roundTripSizes = []int{0, 1, 4 << 10, 64<<10 - 1, 64 << 10, 64<<10 + 1, 3 << 20}

func objectCases() []testCase {
	cases := []testCase{
		{"UnknownSize", testObjectUnknownSize},
		{"Overwrite", testObjectOverwrite},
		{"ReadAfterWrite", testObjectReadAfterWrite},
		{"DeleteThenGet", testObjectDeleteThenGet},
		{"DeleteMissingKey", testObjectDeleteMissingKey},
		{"KeyLength", testObjectKeyLength},
		{"InvalidKeys", testObjectInvalidKeys},
		{"UnicodeKeys", testObjectUnicodeKeys},
		{"SpecialKeys", testObjectSpecialKeys},
		{"IncompleteBody", testObjectIncompleteBody},
		{"ContentMD5Right", testObjectContentMD5Right},
		{"ContentMD5Wrong", testObjectContentMD5Wrong},
		{"ContentMD5Malformed", testObjectContentMD5Malformed},
		{"FailedPutKeepsPrevious", testObjectFailedPutKeepsPrevious},
		{"FailedPutKeepsVersions", testObjectFailedPutKeepsVersions},
		{"MissingKey", testObjectMissingKey},
		{"ReadErrorStoresNothing", testObjectReadErrorStoresNothing},
	}
	for _, n := range roundTripSizes {
		cases = append(cases, testCase{fmt.Sprintf("RoundTrip%d", n), func(e *env) { testObjectRoundTrip(e, n) }})
	}
	return cases
}

func testObjectRoundTrip(e *env, n int) {
	b := e.bucket()
	data := fill(n, uint64(n))
	before := time.Now()
	info := e.put(b, "obj", data)
	if info.Size != int64(n) {
		e.t.Fatalf("put: Size %d, want %d", info.Size, n)
	}
	head := e.head(b, "obj", objstore.GetOptions{})
	if head.Size != int64(n) || head.ETag != md5hex(data) {
		e.t.Fatalf("head: Size %d ETag %q, want %d %q", head.Size, head.ETag, n, md5hex(data))
	}
	if head.Key != "obj" {
		e.t.Fatalf("head: Key %q", head.Key)
	}
	if d := head.LastModified.Sub(before); d < -time.Minute || d > time.Hour {
		e.t.Fatalf("head: LastModified %v for an object written at %v", head.LastModified, before)
	}
	got, obj := e.get(b, "obj", objstore.GetOptions{})
	if !bytes.Equal(got, data) {
		e.t.Fatalf("get: %d bytes (md5 %s), want %d (md5 %s)", len(got), md5hex(got), n, md5hex(data))
	}
	if obj.Offset != 0 || obj.Length != int64(n) || obj.Ranged {
		e.t.Fatalf("get: Offset %d Length %d Ranged %v, want 0 %d false", obj.Offset, obj.Length, obj.Ranged, n)
	}
	if obj.Info.Size != int64(n) || obj.Info.ETag != md5hex(data) {
		e.t.Fatalf("get: Info Size %d ETag %q", obj.Info.Size, obj.Info.ETag)
	}
}

func testObjectUnknownSize(e *env) {
	b := e.bucket()
	data := fill(100<<10, 7)
	// OneByteReader hands the body over in the smallest reads possible.
	body := iotest.OneByteReader(bytes.NewReader(data))
	info, err := e.s.PutObject(e.ctx, b, "obj", body, objstore.PutOptions{Size: -1})
	mustOK(e.t, err, "put of unknown size")
	if info.ETag != md5hex(data) {
		e.t.Fatalf("put: ETag %q, want %q", info.ETag, md5hex(data))
	}
	if h := e.head(b, "obj", objstore.GetOptions{}); h.Size != int64(len(data)) {
		e.t.Fatalf("head: Size %d, want %d", h.Size, len(data))
	}
	e.expectBody(b, "obj", data)
}

func testObjectOverwrite(e *env) {
	b := e.bucket()
	e.put(b, "k", fill(70<<10, 1))
	second := []byte("short second body")
	e.put(b, "k", second)
	e.expectBody(b, "k", second)
	if h := e.head(b, "k", objstore.GetOptions{}); h.Size != int64(len(second)) || h.ETag != md5hex(second) {
		e.t.Fatalf("head after overwrite: Size %d ETag %q", h.Size, h.ETag)
	}
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 1 || res.Objects[0].Size != int64(len(second)) || res.Objects[0].ETag != md5hex(second) {
		e.t.Fatalf("list after overwrite: %+v", res.Objects)
	}
	third := fill(80<<10, 3)
	e.put(b, "k", third)
	e.expectBody(b, "k", third)
}

func testObjectReadAfterWrite(e *env) {
	b := e.bucket()
	for i := range 20 {
		k := fmt.Sprintf("k%02d", i)
		body := fmt.Sprintf("body %d", i)
		e.putString(b, k, body)
		if got := e.getString(b, k); got != body {
			e.t.Fatalf("read after write of %s: %q, want %q", k, got, body)
		}
		keys, _ := e.listAll(b, objstore.ListOptions{Prefix: k})
		equalStrings(e.t, "list right after put", keys, []string{k})
		e.putString(b, k, body+" again")
		if got := e.getString(b, k); got != body+" again" {
			e.t.Fatalf("read after overwrite of %s: %q", k, got)
		}
		e.del(b, k, "")
		e.expectMissing(b, k)
		keys, _ = e.listAll(b, objstore.ListOptions{Prefix: k})
		equalStrings(e.t, "list right after delete", keys, nil)
	}
}

func testObjectDeleteThenGet(e *env) {
	b := e.bucket()
	e.putString(b, "k", "data")
	e.del(b, "k", "")
	e.expectMissing(b, "k")
	if res := e.list(b, objstore.ListOptions{}); len(res.Objects) != 0 {
		e.t.Fatalf("list after delete: %v", keysOf(res.Objects))
	}
}

func testObjectDeleteMissingKey(e *env) {
	b := e.bucket()
	e.del(b, "never-written", "")
	e.putString(b, "k", "data")
	e.del(b, "k", "")
	e.del(b, "k", "")
	e.expectMissing(b, "k")
}

func testObjectMissingKey(e *env) {
	b := e.bucket()
	e.putString(b, "present", "x")
	e.expectMissing(b, "absent")
	e.expectMissing(b, "presen")
	e.expectMissing(b, "present/")
}

func testObjectKeyLength(e *env) {
	b := e.bucket()
	longest := strings.Repeat("k", objstore.MaxKeyLength)
	e.putString(b, longest, "max")
	if got := e.getString(b, longest); got != "max" {
		e.t.Fatalf("get of a 1024-byte key: %q", got)
	}
	keys, _ := e.listAll(b, objstore.ListOptions{})
	equalStrings(e.t, "list of a 1024-byte key", keys, []string{longest})
	multibyte := strings.Repeat("é", objstore.MaxKeyLength/2)
	e.putString(b, multibyte, "2-byte runes")
	_, err := e.tryPut(b, longest+"k", []byte("x"), objstore.PutOptions{})
	mustErr(e.t, err, objstore.ErrKeyTooLong)
	_, err = e.tryPut(b, multibyte+"k", []byte("x"), objstore.PutOptions{})
	mustErr(e.t, err, objstore.ErrKeyTooLong)
}

func testObjectInvalidKeys(e *env) {
	b := e.bucket()
	for _, k := range []string{"", "\xff\xfe", "ok/\xc3"} {
		_, err := e.tryPut(b, k, []byte("x"), objstore.PutOptions{})
		mustErr(e.t, err, objstore.ErrInvalidArgument)
	}
	if res := e.list(b, objstore.ListOptions{}); len(res.Objects) != 0 {
		e.t.Fatalf("refused keys listed: %q", keysOf(res.Objects))
	}
}

// unicodeKeys are keys beyond ASCII, in UTF-8 byte order.
var unicodeKeys = []string{"café", "naïve/ß", "Ωmega", "日本", "日本/語.txt", "emoji-😀", "😀/🎉"}

func testObjectUnicodeKeys(e *env) {
	b := e.bucket()
	for i, k := range unicodeKeys {
		e.putString(b, k, fmt.Sprintf("body %d", i))
	}
	for i, k := range unicodeKeys {
		if got := e.getString(b, k); got != fmt.Sprintf("body %d", i) {
			e.t.Fatalf("get %q: %q", k, got)
		}
	}
	keys, _ := e.listAll(b, objstore.ListOptions{})
	want, _ := modelList(unicodeKeys, "", "", "")
	equalStrings(e.t, "unicode keys listed", keys, want)
}

// specialKeys are keys that trip up URL, path and query handling.
var specialKeys = []string{
	"with space", "a+b", "100%", "%2F", "a//b", "dir/", "/leading", "?query=1", "#hash",
	"back\\slash", "semi;colon", "amp&ersand", "quote\"d", "tab\there", "..", "./dot", "~tilde", "a\nnewline",
}

func testObjectSpecialKeys(e *env) {
	b := e.bucket()
	for i, k := range specialKeys {
		e.putString(b, k, fmt.Sprintf("body %d", i))
	}
	for i, k := range specialKeys {
		if got := e.getString(b, k); got != fmt.Sprintf("body %d", i) {
			e.t.Fatalf("get %q: %q", k, got)
		}
		if h := e.head(b, k, objstore.GetOptions{}); h.Key != k {
			e.t.Fatalf("head %q: Key %q", k, h.Key)
		}
	}
	keys, _ := e.listAll(b, objstore.ListOptions{})
	want, _ := modelList(specialKeys, "", "", "")
	equalStrings(e.t, "special keys listed", keys, want)
	e.del(b, "a+b", "")
	e.expectMissing(b, "a+b")
	if got := e.getString(b, "with space"); got != "body 0" {
		e.t.Fatalf("deleting %q touched %q: %q", "a+b", "with space", got)
	}
}

func testObjectIncompleteBody(e *env) {
	b := e.bucket()
	opts := objstore.PutOptions{Size: 10}
	_, err := e.s.PutObject(e.ctx, b, "short", strings.NewReader("12345"), opts)
	mustErr(e.t, err, objstore.ErrIncompleteBody)
	e.expectMissing(b, "short")
	e.putString(b, "kept", "previous")
	_, err = e.s.PutObject(e.ctx, b, "kept", bytes.NewReader(fill(70<<10, 1)), objstore.PutOptions{Size: 80 << 10})
	mustErr(e.t, err, objstore.ErrIncompleteBody)
	if got := e.getString(b, "kept"); got != "previous" {
		e.t.Fatalf("object after an incomplete overwrite: %q", got)
	}
}

func testObjectContentMD5Right(e *env) {
	b := e.bucket()
	for _, n := range []int{0, 10, 100 << 10} {
		data := fill(n, 3)
		info := e.putOpts(b, "k", data, objstore.PutOptions{ContentMD5: md5b64(data)})
		if info.ETag != md5hex(data) {
			e.t.Fatalf("put with Content-MD5: ETag %q", info.ETag)
		}
		e.expectBody(b, "k", data)
	}
}

func testObjectContentMD5Wrong(e *env) {
	b := e.bucket()
	for _, n := range []int{10, 100 << 10} {
		data := fill(n, 4)
		_, err := e.tryPut(b, "k", data, objstore.PutOptions{ContentMD5: md5b64([]byte("other"))})
		mustErr(e.t, err, objstore.ErrBadDigest)
		e.expectMissing(b, "k")
	}
}

func testObjectContentMD5Malformed(e *env) {
	b := e.bucket()
	for _, bad := range []string{"not base64!", "AAAA", md5hex([]byte("x"))} {
		_, err := e.tryPut(b, "k", []byte("data"), objstore.PutOptions{ContentMD5: bad})
		mustErr(e.t, err, objstore.ErrInvalidDigest)
	}
	e.expectMissing(b, "k")
}

func testObjectFailedPutKeepsPrevious(e *env) {
	b := e.bucket()
	old := e.putString(b, "k", "previous body")
	for _, n := range []int{5, 100 << 10} {
		_, err := e.tryPut(b, "k", fill(n, 9), objstore.PutOptions{ContentMD5: md5b64([]byte("nope"))})
		mustErr(e.t, err, objstore.ErrBadDigest)
		if got := e.getString(b, "k"); got != "previous body" {
			e.t.Fatalf("object after a bad-digest overwrite: %q", got)
		}
		res := e.list(b, objstore.ListOptions{})
		if len(res.Objects) != 1 || res.Objects[0].ETag != old.ETag || res.Objects[0].Size != old.Size {
			e.t.Fatalf("list after a bad-digest overwrite: %+v", res.Objects)
		}
	}
}

func testObjectFailedPutKeepsVersions(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "one")
	v2 := e.putString(b, "k", "two")
	_, err := e.tryPut(b, "k", []byte("three"), objstore.PutOptions{ContentMD5: md5b64([]byte("nope"))})
	mustErr(e.t, err, objstore.ErrBadDigest)
	_, err = e.s.PutObject(e.ctx, b, "k", strings.NewReader("fo"), objstore.PutOptions{Size: 4})
	mustErr(e.t, err, objstore.ErrIncompleteBody)
	got := refsOf(e.allVersions(b))
	want := []versionRef{{"k", v2.VersionID, false, true}, {"k", v1.VersionID, false, false}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Fatalf("versions after failed puts:\n got  %+v\n want %+v", got, want)
	}
	if s := e.getString(b, "k"); s != "two" {
		e.t.Fatalf("current version after failed puts: %q", s)
	}
}

// failingReader returns left bytes and then err, as a request body does
// when its client goes away mid-upload.
type failingReader struct {
	left int
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, r.err
	}
	n := min(len(p), r.left)
	for i := range n {
		p[i] = 'x'
	}
	r.left -= n
	return n, nil
}

// readErrors are what a body read fails with: a cut connection, and the
// io.ErrUnexpectedEOF net/http reports for a truncated chunked body.
var readErrors = []error{errors.New("connection reset by peer"), io.ErrUnexpectedEOF}

func testObjectReadErrorStoresNothing(e *env) {
	b := e.bucket()
	e.putString(b, "k", "previous")
	for _, readErr := range readErrors {
		for _, size := range []int64{-1, 200 << 10} {
			for _, left := range []int{10, 100 << 10} {
				body := &failingReader{left: left, err: readErr}
				_, err := e.s.PutObject(e.ctx, b, "k", body, objstore.PutOptions{Size: size})
				if err == nil {
					e.t.Errorf("put of size %d whose body fails after %d bytes with %q succeeded", size, left, readErr)
				}
				if got := e.getString(b, "k"); got != "previous" {
					e.t.Fatalf("object after a failed upload: %d bytes", len(got))
				}
				_, err = e.s.PutObject(e.ctx, b, "new", &failingReader{left: left, err: readErr}, objstore.PutOptions{Size: size})
				if err == nil {
					e.t.Errorf("put of a new key of size %d whose body fails after %d bytes with %q succeeded", size, left, readErr)
				}
			}
		}
	}
	e.expectMissing(b, "new")
}
