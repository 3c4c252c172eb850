package storetest

import (
	"github.com/cairnfs/cairn/objstore"
)

func taggingCases() []testCase {
	return []testCase{
		{"PutGetDelete", testTaggingPutGetDelete},
		{"ReplacesWholeSet", testTaggingReplacesWholeSet},
		{"ByVersion", testTaggingByVersion},
		{"KeepsVersionAndETag", testTaggingKeepsVersion},
		{"MissingObject", testTaggingMissing},
		{"Invalid", testTaggingInvalid},
	}
}

// expectTags checks the tag set of a version of k.
func (e *env) expectTags(b, k, versionID string, want objstore.Tags) {
	e.t.Helper()
	tags, _, err := e.s.GetObjectTagging(e.ctx, b, k, versionID)
	mustOK(e.t, err, "get tagging of %s version %q", k, versionID)
	if !sameStrings(tags, want) {
		e.t.Fatalf("tags of %s version %q: %v, want %v", k, versionID, tags, want)
	}
}

func testTaggingPutGetDelete(e *env) {
	b := e.bucket()
	e.putString(b, "k", "data")
	e.expectTags(b, "k", "", nil)
	tags := objstore.Tags{"team": "storage", "tier": "hot"}
	_, err := e.s.PutObjectTagging(e.ctx, b, "k", "", tags)
	mustOK(e.t, err, "put tagging")
	e.expectTags(b, "k", "", tags)
	if got := e.head(b, "k", objstore.GetOptions{}).Tags; !sameStrings(got, tags) {
		e.t.Fatalf("head after put tagging: tags %v, want %v", got, tags)
	}
	_, err = e.s.DeleteObjectTagging(e.ctx, b, "k", "")
	mustOK(e.t, err, "delete tagging")
	e.expectTags(b, "k", "", nil)
	if got := e.getString(b, "k"); got != "data" {
		e.t.Fatalf("object after tagging changes: %q", got)
	}
}

func testTaggingReplacesWholeSet(e *env) {
	b := e.bucket()
	e.putOpts(b, "k", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: objstore.Tags{"a": "1", "b": "2"}}})
	e.expectTags(b, "k", "", objstore.Tags{"a": "1", "b": "2"})
	_, err := e.s.PutObjectTagging(e.ctx, b, "k", "", objstore.Tags{"c": "3"})
	mustOK(e.t, err, "put tagging")
	e.expectTags(b, "k", "", objstore.Tags{"c": "3"})
}

func testTaggingByVersion(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "one")
	v2 := e.putString(b, "k", "two")
	applied, err := e.s.PutObjectTagging(e.ctx, b, "k", v1.VersionID, objstore.Tags{"old": "yes"})
	mustOK(e.t, err, "put tagging on version 1")
	if applied != v1.VersionID {
		e.t.Fatalf("put tagging on version %s applied to %q", v1.VersionID, applied)
	}
	e.expectTags(b, "k", v1.VersionID, objstore.Tags{"old": "yes"})
	e.expectTags(b, "k", v2.VersionID, nil)
	e.expectTags(b, "k", "", nil)
	applied, err = e.s.PutObjectTagging(e.ctx, b, "k", "", objstore.Tags{"new": "yes"})
	mustOK(e.t, err, "put tagging on the current version")
	if applied != v2.VersionID {
		e.t.Fatalf("put tagging without a version applied to %q, want the current %s", applied, v2.VersionID)
	}
	_, gotVersion, err := e.s.GetObjectTagging(e.ctx, b, "k", v2.VersionID)
	mustOK(e.t, err, "get tagging of version 2")
	if gotVersion != v2.VersionID {
		e.t.Fatalf("get tagging of version %s reports version %q", v2.VersionID, gotVersion)
	}
	applied, err = e.s.DeleteObjectTagging(e.ctx, b, "k", v1.VersionID)
	mustOK(e.t, err, "delete tagging of version 1")
	if applied != v1.VersionID {
		e.t.Fatalf("delete tagging of version %s applied to %q", v1.VersionID, applied)
	}
	e.expectTags(b, "k", v1.VersionID, nil)
	e.expectTags(b, "k", v2.VersionID, objstore.Tags{"new": "yes"})
}

func testTaggingKeepsVersion(e *env) {
	b := e.versionedBucket()
	v := e.putString(b, "k", "data")
	_, err := e.s.PutObjectTagging(e.ctx, b, "k", "", objstore.Tags{"a": "b"})
	mustOK(e.t, err, "put tagging")
	vs := e.allVersions(b)
	if len(vs) != 1 || vs[0].VersionID != v.VersionID || vs[0].ETag != v.ETag {
		e.t.Fatalf("tagging changed the versions: %+v", refsOf(vs))
	}
	if h := e.head(b, "k", objstore.GetOptions{}); h.VersionID != v.VersionID || h.ETag != v.ETag {
		e.t.Fatalf("tagging changed the current version to %s / %s", h.VersionID, h.ETag)
	}
}

func testTaggingMissing(e *env) {
	b := e.versionedBucket()
	_, _, err := e.s.GetObjectTagging(e.ctx, b, "absent", "")
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	_, err = e.s.PutObjectTagging(e.ctx, b, "absent", "", objstore.Tags{"a": "b"})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	_, err = e.s.DeleteObjectTagging(e.ctx, b, "absent", "")
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	gone := e.putString(b, "k", "gone")
	e.putString(b, "k", "kept")
	e.del(b, "k", gone.VersionID)
	_, _, err = e.s.GetObjectTagging(e.ctx, b, "k", gone.VersionID)
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
	_, err = e.s.PutObjectTagging(e.ctx, b, "k", gone.VersionID, objstore.Tags{"a": "b"})
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
}

func testTaggingInvalid(e *env) {
	b := e.bucket()
	kept := objstore.Tags{"kept": "yes"}
	e.putOpts(b, "k", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: kept}})
	_, err := e.s.PutObjectTagging(e.ctx, b, "k", "", tagSet(11))
	mustErr(e.t, err, objstore.ErrInvalidTag)
	_, err = e.s.PutObjectTagging(e.ctx, b, "k", "", objstore.Tags{"aws:x": "y"})
	mustErr(e.t, err, objstore.ErrInvalidTag)
	e.expectTags(b, "k", "", kept)
}
