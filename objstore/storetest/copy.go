package storetest

import (
	"bytes"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func copyCases() []testCase {
	return []testCase{
		{"KeepsMetadataAndTags", testCopyKeepsMetadata},
		{"ReplaceMetadata", testCopyReplaceMetadata},
		{"ReplaceTags", testCopyReplaceTags},
		{"StorageClass", testCopyStorageClass},
		{"SourceVersion", testCopySourceVersion},
		{"SourceConditions", testCopySourceConditions},
		{"DestinationIfNoneMatch", testCopyDestinationCondition},
		{"ToItselfRejected", testCopyToItselfRejected},
		{"ToItselfReplace", testCopyToItselfReplace},
		{"RestoresPreviousVersion", testCopyRestoresVersion},
		{"MissingSource", testCopyMissingSource},
		{"AcrossBuckets", testCopyAcrossBuckets},
		{"OverwritesDestination", testCopyOverwrites},
		{"MultipartSource", testCopyMultipartSource},
	}
}

// tryCopy copies srcBucket/srcKey to dstBucket/dstKey with opts, the
// source filled in.
func (e *env) tryCopy(srcBucket, srcKey, dstBucket, dstKey string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	opts.Source.Bucket, opts.Source.Key = srcBucket, srcKey
	return e.s.CopyObject(e.ctx, dstBucket, dstKey, opts)
}

// copyObject copies and fails the test on error.
func (e *env) copyObject(srcBucket, srcKey, dstBucket, dstKey string, opts objstore.CopyOptions) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.tryCopy(srcBucket, srcKey, dstBucket, dstKey, opts)
	mustOK(e.t, err, "copy %s/%s to %s/%s", srcBucket, srcKey, dstBucket, dstKey)
	if info.ETag == "" {
		e.t.Fatalf("copy %s/%s to %s/%s: empty ETag", srcBucket, srcKey, dstBucket, dstKey)
	}
	return info
}

// standardMeta is fullMeta in the STANDARD class, which a copy keeps
// without naming it.
func standardMeta() objstore.ObjectMeta {
	m := fullMeta()
	m.StorageClass = objstore.DefaultStorageClass
	return m
}

func testCopyKeepsMetadata(e *env) {
	b := e.bucket()
	meta := standardMeta()
	src := e.putOpts(b, "src", []byte("copied body"), objstore.PutOptions{ObjectMeta: meta})
	info := e.copyObject(b, "src", b, "dst", objstore.CopyOptions{})
	if info.ETag != src.ETag {
		e.t.Fatalf("copy ETag %q, want the source's %q", info.ETag, src.ETag)
	}
	e.checkStoredMeta(b, "dst", meta)
	if got := e.getString(b, "dst"); got != "copied body" {
		e.t.Fatalf("copy body: %q", got)
	}
	e.copyObject(b, "src", b, "dst2", objstore.CopyOptions{MetadataDirective: objstore.MetadataCopy, TaggingDirective: objstore.MetadataCopy})
	e.checkStoredMeta(b, "dst2", meta)
}

func testCopyReplaceMetadata(e *env) {
	b := e.bucket()
	src := standardMeta()
	e.putOpts(b, "src", []byte("body"), objstore.PutOptions{ObjectMeta: src})
	repl := objstore.ObjectMeta{ContentType: "text/html", UserMetadata: map[string]string{"fresh": "1"}}
	e.copyObject(b, "src", b, "dst", objstore.CopyOptions{MetadataDirective: objstore.MetadataReplace, Meta: repl})
	want := repl
	want.StorageClass = objstore.DefaultStorageClass
	want.Tags = src.Tags // the tagging directive defaults to COPY
	e.checkStoredMeta(b, "dst", want)
	e.checkStoredMeta(b, "src", src)
}

func testCopyReplaceTags(e *env) {
	b := e.bucket()
	src := standardMeta()
	e.putOpts(b, "src", []byte("body"), objstore.PutOptions{ObjectMeta: src})
	repl := objstore.ObjectMeta{Tags: objstore.Tags{"replaced": "yes"}}
	e.copyObject(b, "src", b, "dst", objstore.CopyOptions{TaggingDirective: objstore.MetadataReplace, Meta: repl})
	want := src
	want.Tags = repl.Tags
	e.checkStoredMeta(b, "dst", want)
	e.copyObject(b, "src", b, "untagged", objstore.CopyOptions{TaggingDirective: objstore.MetadataReplace})
	want.Tags = nil
	e.checkStoredMeta(b, "untagged", want)
}

func testCopyStorageClass(e *env) {
	b := e.bucket()
	meta := standardMeta()
	e.putOpts(b, "src", []byte("body"), objstore.PutOptions{ObjectMeta: meta})
	e.copyObject(b, "src", b, "ia", objstore.CopyOptions{Meta: objstore.ObjectMeta{StorageClass: "ONEZONE_IA"}})
	want := meta
	want.StorageClass = "ONEZONE_IA"
	e.checkStoredMeta(b, "ia", want)
	// S3: without x-amz-storage-class the copy is stored as STANDARD.
	e.copyObject(b, "ia", b, "back", objstore.CopyOptions{})
	e.checkStoredMeta(b, "back", meta)
	_, err := e.tryCopy(b, "src", b, "bad", objstore.CopyOptions{Meta: objstore.ObjectMeta{StorageClass: "FOO"}})
	mustErr(e.t, err, objstore.ErrInvalidStorageClass)
	e.expectMissing(b, "bad")
}

func testCopySourceVersion(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "src", "version one")
	e.putString(b, "src", "version two")
	e.copyObject(b, "src", b, "dst", objstore.CopyOptions{Source: objstore.CopySource{VersionID: v1.VersionID}})
	if got := e.getString(b, "dst"); got != "version one" {
		e.t.Fatalf("copy of version %s: %q", v1.VersionID, got)
	}
	e.copyObject(b, "src", b, "latest", objstore.CopyOptions{})
	if got := e.getString(b, "latest"); got != "version two" {
		e.t.Fatalf("copy without a version: %q", got)
	}
}

func testCopySourceConditions(e *env) {
	b := e.bucket()
	src := e.putString(b, "src", "body")
	lm := e.head(b, "src", objstore.GetOptions{}).LastModified.Truncate(time.Second)
	refused := []objstore.Conditions{
		{IfMatch: md5hex(nil)},
		{IfNoneMatch: src.ETag},
		{IfModifiedSince: lm},
		{IfUnmodifiedSince: lm.Add(-time.Hour)},
	}
	for _, c := range refused {
		_, err := e.tryCopy(b, "src", b, "dst", objstore.CopyOptions{Source: objstore.CopySource{Conditions: c}})
		mustErr(e.t, err, objstore.ErrPreconditionFailed)
		e.expectMissing(b, "dst")
	}
	allowed := []objstore.Conditions{
		{IfMatch: src.ETag},
		{IfMatch: `"` + src.ETag + `"`},
		{IfNoneMatch: md5hex(nil)},
		{IfModifiedSince: lm.Add(-time.Hour)},
		{IfUnmodifiedSince: lm},
	}
	for _, c := range allowed {
		e.copyObject(b, "src", b, "dst", objstore.CopyOptions{Source: objstore.CopySource{Conditions: c}})
	}
}

func testCopyDestinationCondition(e *env) {
	b := e.bucket()
	e.putString(b, "src", "source")
	e.putString(b, "dst", "taken")
	_, err := e.tryCopy(b, "src", b, "dst", objstore.CopyOptions{IfNoneMatch: "*"})
	mustErr(e.t, err, objstore.ErrPreconditionFailed)
	if got := e.getString(b, "dst"); got != "taken" {
		e.t.Fatalf("destination after a refused copy: %q", got)
	}
	e.copyObject(b, "src", b, "free", objstore.CopyOptions{IfNoneMatch: "*"})
}

func testCopyToItselfRejected(e *env) {
	b := e.bucket()
	e.putOpts(b, "k", []byte("body"), objstore.PutOptions{ObjectMeta: standardMeta()})
	for _, opts := range []objstore.CopyOptions{{}, {MetadataDirective: objstore.MetadataCopy}} {
		_, err := e.tryCopy(b, "k", b, "k", opts)
		mustErr(e.t, err, objstore.ErrInvalidRequest)
		mustErr(e.t, err, objstore.ErrCopyToItself)
	}
	e.checkStoredMeta(b, "k", standardMeta())
}

func testCopyToItselfReplace(e *env) {
	b := e.bucket()
	src := e.putOpts(b, "k", []byte("body"), objstore.PutOptions{ObjectMeta: standardMeta()})
	repl := objstore.ObjectMeta{ContentType: "application/json", UserMetadata: map[string]string{"mode": "0600"}}
	info := e.copyObject(b, "k", b, "k", objstore.CopyOptions{MetadataDirective: objstore.MetadataReplace, Meta: repl})
	if info.ETag != src.ETag {
		e.t.Fatalf("copy to itself: ETag %q, want %q", info.ETag, src.ETag)
	}
	want := repl
	want.StorageClass = objstore.DefaultStorageClass
	want.Tags = standardMeta().Tags
	e.checkStoredMeta(b, "k", want)
	e.copyObject(b, "k", b, "k", objstore.CopyOptions{Meta: objstore.ObjectMeta{StorageClass: "STANDARD_IA"}})
	if c := e.head(b, "k", objstore.GetOptions{}).StorageClass; c != "STANDARD_IA" {
		e.t.Fatalf("storage class after copying to itself: %q", c)
	}
	if got := e.getString(b, "k"); got != "body" {
		e.t.Fatalf("body after copies to itself: %q", got)
	}
}

func testCopyRestoresVersion(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "original")
	v2 := e.putString(b, "k", "mistake")
	info := e.copyObject(b, "k", b, "k", objstore.CopyOptions{Source: objstore.CopySource{VersionID: v1.VersionID}})
	if info.VersionID == "" || info.VersionID == v1.VersionID || info.VersionID == v2.VersionID {
		e.t.Fatalf("restoring copy: version %q, want a new one", info.VersionID)
	}
	if got := e.getString(b, "k"); got != "original" {
		e.t.Fatalf("after restoring version %s: %q", v1.VersionID, got)
	}
	e.expectVersions(b, version("k", info.VersionID, true), version("k", v2.VersionID, false), version("k", v1.VersionID, false))
}

func testCopyMissingSource(e *env) {
	b := e.versionedBucket()
	_, err := e.tryCopy(b, "absent", b, "dst", objstore.CopyOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	gone := e.putString(b, "deleted", "x")
	e.del(b, "deleted", "")
	_, err = e.tryCopy(b, "deleted", b, "dst", objstore.CopyOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	e.putString(b, "k", "kept")
	removed := e.putString(b, "k", "removed")
	e.del(b, "k", removed.VersionID)
	_, err = e.tryCopy(b, "k", b, "dst", objstore.CopyOptions{Source: objstore.CopySource{VersionID: removed.VersionID}})
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
	e.expectMissing(b, "dst")
	e.copyObject(b, "deleted", b, "dst", objstore.CopyOptions{Source: objstore.CopySource{VersionID: gone.VersionID}})
}

func testCopyAcrossBuckets(e *env) {
	src, dst := e.bucket(), e.versionedBucket()
	data := fill(3<<20, 5)
	info := e.put(src, "big", data)
	e.putString(src, "small", "small one")
	c := e.copyObject(src, "big", dst, "copied/big", objstore.CopyOptions{})
	if c.ETag != info.ETag || c.VersionID == "" || c.VersionID == objstore.NullVersionID {
		e.t.Fatalf("copy across buckets: ETag %q version %q", c.ETag, c.VersionID)
	}
	e.copyObject(src, "small", dst, "copied/small", objstore.CopyOptions{})
	e.expectBody(dst, "copied/big", data)
	if got := e.getString(dst, "copied/small"); got != "small one" {
		e.t.Fatalf("small copy: %q", got)
	}
	e.expectBody(src, "big", data)
}

func testCopyOverwrites(e *env) {
	b := e.bucket()
	e.putString(b, "src", "new content")
	e.put(b, "dst", fill(100<<10, 1))
	e.copyObject(b, "src", b, "dst", objstore.CopyOptions{})
	if got := e.getString(b, "dst"); got != "new content" {
		e.t.Fatalf("overwritten destination: %q", got)
	}
	keys, _ := e.listAll(b, objstore.ListOptions{})
	equalStrings(e.t, "keys", keys, []string{"dst", "src"})
}

func testCopyMultipartSource(e *env) {
	b := e.bucket()
	parts := [][]byte{fill(partSize, 1), fill(4321, 2)}
	e.multipartObject(b, "mp", objstore.PutOptions{}, parts...)
	e.copyObject(b, "mp", b, "copy", objstore.CopyOptions{})
	whole := bytes.Join(parts, nil)
	got, obj := e.get(b, "copy", objstore.GetOptions{})
	if !bytes.Equal(got, whole) || obj.Info.Size != int64(len(whole)) {
		e.t.Fatalf("copy of a multipart object: %d bytes, want %d", len(got), len(whole))
	}
}
