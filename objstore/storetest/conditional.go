package storetest

import (
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func conditionalCases() []testCase {
	return []testCase{
		{"PutIfNoneMatchStar", testCondPutIfNoneMatch},
		{"PutIfNoneMatchOverDeleteMarker", testCondPutIfNoneMatchMarker},
		{"PutIfMatch", testCondPutIfMatch},
		{"PutIfMatchMissingKey", testCondPutIfMatchMissing},
		{"GetIfMatch", testCondGetIfMatch},
		{"GetIfNoneMatch", testCondGetIfNoneMatch},
		{"GetIfModifiedSince", testCondGetIfModifiedSince},
		{"GetIfUnmodifiedSince", testCondGetIfUnmodifiedSince},
		{"GetIfMatchOverUnmodifiedSince", testCondIfMatchOverUnmodifiedSince},
		{"GetIfNoneMatchOverModifiedSince", testCondIfNoneMatchOverModifiedSince},
		{"GetQuotedETags", testCondQuotedETags},
		{"CompleteMultipart", testCondComplete},
	}
}

// condObject stores an object for the read-condition cases and returns
// its ETag and its Last-Modified time as HTTP dates carry it, in whole
// seconds.
func (e *env) condObject() (b, etag string, lastModified time.Time) {
	e.t.Helper()
	b = e.bucket()
	info := e.putString(b, "k", "conditional body")
	head := e.head(b, "k", objstore.GetOptions{})
	if head.ETag != info.ETag {
		e.t.Fatalf("head ETag %q, put said %q", head.ETag, info.ETag)
	}
	return b, info.ETag, head.LastModified.Truncate(time.Second)
}

// expectCond checks that GetObject and HeadObject under c both answer
// want (nil: the object is returned).
func (e *env) expectCond(b string, c objstore.Conditions, want error) {
	e.t.Helper()
	data, _, err := e.tryGet(b, "k", objstore.GetOptions{Conditions: c})
	e.checkCondResult("get", c, err, want)
	if want == nil && string(data) != "conditional body" {
		e.t.Fatalf("get under %+v: body %q", c, data)
	}
	_, err = e.s.HeadObject(e.ctx, b, "k", objstore.GetOptions{Conditions: c})
	e.checkCondResult("head", c, err, want)
}

func (e *env) checkCondResult(op string, c objstore.Conditions, err, want error) {
	e.t.Helper()
	switch {
	case want == nil && err != nil:
		e.t.Fatalf("%s under %+v: %v, want the object", op, c, err)
	case want != nil && err == nil:
		e.t.Fatalf("%s under %+v: got the object, want %v", op, c, want)
	case want != nil:
		mustErr(e.t, err, want)
	}
}

func testCondPutIfNoneMatch(e *env) {
	b := e.bucket()
	e.putOpts(b, "k", []byte("first"), objstore.PutOptions{IfNoneMatch: "*"})
	_, err := e.tryPut(b, "k", []byte("second"), objstore.PutOptions{IfNoneMatch: "*"})
	mustErr(e.t, err, objstore.ErrPreconditionFailed)
	if got := e.getString(b, "k"); got != "first" {
		e.t.Fatalf("object after a refused create: %q", got)
	}
	e.del(b, "k", "")
	e.putOpts(b, "k", []byte("after delete"), objstore.PutOptions{IfNoneMatch: "*"})
	if got := e.getString(b, "k"); got != "after delete" {
		e.t.Fatalf("object: %q", got)
	}
}

func testCondPutIfNoneMatchMarker(e *env) {
	b := e.versionedBucket()
	v := e.putString(b, "k", "old")
	e.del(b, "k", "")
	info := e.putOpts(b, "k", []byte("new"), objstore.PutOptions{IfNoneMatch: "*"})
	if info.VersionID == v.VersionID {
		e.t.Fatalf("conditional create reused version %s", v.VersionID)
	}
	if got := e.getString(b, "k"); got != "new" {
		e.t.Fatalf("object: %q", got)
	}
}

func testCondPutIfMatch(e *env) {
	b := e.bucket()
	first := e.putString(b, "k", "first")
	second := e.putOpts(b, "k", []byte("second"), objstore.PutOptions{IfMatch: first.ETag})
	e.putOpts(b, "k", []byte("third"), objstore.PutOptions{IfMatch: `"` + second.ETag + `"`})
	_, err := e.tryPut(b, "k", []byte("fourth"), objstore.PutOptions{IfMatch: first.ETag})
	mustErr(e.t, err, objstore.ErrPreconditionFailed)
	if got := e.getString(b, "k"); got != "third" {
		e.t.Fatalf("object after a refused overwrite: %q", got)
	}
}

func testCondPutIfMatchMissing(e *env) {
	b := e.versionedBucket()
	_, err := e.tryPut(b, "absent", []byte("x"), objstore.PutOptions{IfMatch: md5hex([]byte("x"))})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	info := e.putString(b, "k", "x")
	e.del(b, "k", "")
	_, err = e.tryPut(b, "k", []byte("y"), objstore.PutOptions{IfMatch: info.ETag})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	e.expectMissing(b, "absent")
}

func testCondGetIfMatch(e *env) {
	b, etag, _ := e.condObject()
	e.expectCond(b, objstore.Conditions{IfMatch: etag}, nil)
	e.expectCond(b, objstore.Conditions{IfMatch: md5hex([]byte("other"))}, objstore.ErrPreconditionFailed)
}

func testCondGetIfNoneMatch(e *env) {
	b, etag, _ := e.condObject()
	e.expectCond(b, objstore.Conditions{IfNoneMatch: etag}, objstore.ErrNotModified)
	e.expectCond(b, objstore.Conditions{IfNoneMatch: md5hex([]byte("other"))}, nil)
}

func testCondGetIfModifiedSince(e *env) {
	b, _, lm := e.condObject()
	e.expectCond(b, objstore.Conditions{IfModifiedSince: lm.Add(-time.Hour)}, nil)
	e.expectCond(b, objstore.Conditions{IfModifiedSince: lm}, objstore.ErrNotModified)
}

func testCondGetIfUnmodifiedSince(e *env) {
	b, _, lm := e.condObject()
	e.expectCond(b, objstore.Conditions{IfUnmodifiedSince: lm}, nil)
	e.expectCond(b, objstore.Conditions{IfUnmodifiedSince: lm.Add(-time.Hour)}, objstore.ErrPreconditionFailed)
}

// S3: when If-Match holds and If-Unmodified-Since does not, the object is
// returned.
func testCondIfMatchOverUnmodifiedSince(e *env) {
	b, etag, lm := e.condObject()
	e.expectCond(b, objstore.Conditions{IfMatch: etag, IfUnmodifiedSince: lm.Add(-time.Hour)}, nil)
	e.expectCond(b, objstore.Conditions{IfMatch: md5hex(nil), IfUnmodifiedSince: lm}, objstore.ErrPreconditionFailed)
}

// S3: when If-None-Match fails and If-Modified-Since holds, the answer is
// 304 Not Modified.
func testCondIfNoneMatchOverModifiedSince(e *env) {
	b, etag, lm := e.condObject()
	e.expectCond(b, objstore.Conditions{IfNoneMatch: etag, IfModifiedSince: lm.Add(-time.Hour)}, objstore.ErrNotModified)
}

func testCondQuotedETags(e *env) {
	b, etag, _ := e.condObject()
	quoted := `"` + etag + `"`
	e.expectCond(b, objstore.Conditions{IfMatch: quoted}, nil)
	e.expectCond(b, objstore.Conditions{IfNoneMatch: quoted}, objstore.ErrNotModified)
	e.expectCond(b, objstore.Conditions{IfMatch: `"` + md5hex(nil) + `"`}, objstore.ErrPreconditionFailed)
}

func testCondComplete(e *env) {
	b := e.bucket()
	existing := e.putString(b, "k", "existing")
	refused := []objstore.CompleteOptions{{IfNoneMatch: "*"}, {IfMatch: md5hex(nil)}}
	for _, opts := range refused {
		id, parts := e.smallUpload(b, "k", "refused")
		_, err := e.s.CompleteMultipartUpload(e.ctx, b, "k", id, parts, opts)
		mustErr(e.t, err, objstore.ErrPreconditionFailed)
	}
	if got := e.getString(b, "k"); got != "existing" {
		e.t.Fatalf("object after refused completes: %q", got)
	}
	id, parts := e.smallUpload(b, "k", "multipart")
	_, err := e.s.CompleteMultipartUpload(e.ctx, b, "k", id, parts, objstore.CompleteOptions{IfMatch: existing.ETag})
	mustOK(e.t, err, "complete with a matching If-Match")
	if got := e.getString(b, "k"); got != "multipart" {
		e.t.Fatalf("object after a conditional complete: %q", got)
	}
	id, parts = e.smallUpload(b, "new", "created")
	_, err = e.s.CompleteMultipartUpload(e.ctx, b, "new", id, parts, objstore.CompleteOptions{IfNoneMatch: "*"})
	mustOK(e.t, err, "complete with If-None-Match * onto a new key")
}

// smallUpload starts an upload of one small part holding body.
func (e *env) smallUpload(b, k, body string) (string, []objstore.CompletedPart) {
	e.t.Helper()
	id := e.createUpload(b, k, objstore.PutOptions{})
	return id, completed(e.uploadPart(b, k, id, 1, []byte(body)))
}
