package storetest

import (
	"bytes"
	"errors"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

func bucketCases() []testCase {
	return []testCase{
		{"CreateHeadDelete", testBucketCreateHeadDelete},
		{"ListSorted", testBucketListSorted},
		{"InvalidNames", testBucketInvalidNames},
		{"ValidNameEdges", testBucketValidNameEdges},
		{"CreateTwice", testBucketCreateTwice},
		{"DeleteNotEmpty", testBucketDeleteNotEmpty},
		{"DeleteOnlyDeleteMarker", testBucketDeleteOnlyDeleteMarker},
		{"DeleteOnlyNoncurrentVersions", testBucketDeleteOnlyNoncurrent},
		{"RecreatedIsEmpty", testBucketRecreatedIsEmpty},
		{"MissingBucket", testBucketMissing},
	}
}

func testBucketCreateHeadDelete(e *env) {
	b := e.bucket()
	info, err := e.s.HeadBucket(e.ctx, b)
	mustOK(e.t, err, "head bucket %s", b)
	if info.Name != b {
		e.t.Fatalf("head bucket %s: name %q", b, info.Name)
	}
	if info.Created.IsZero() {
		e.t.Fatalf("head bucket %s: zero creation time", b)
	}
	mustOK(e.t, e.s.DeleteBucket(e.ctx, b), "delete bucket %s", b)
	_, err = e.s.HeadBucket(e.ctx, b)
	mustErr(e.t, err, objstore.ErrNoSuchBucket)
	mustErr(e.t, e.s.DeleteBucket(e.ctx, b), objstore.ErrNoSuchBucket)
}

func testBucketListSorted(e *env) {
	s := e.freshStore()
	got, err := s.ListBuckets(e.ctx)
	mustOK(e.t, err, "list buckets of a fresh store")
	if len(got) != 0 {
		e.t.Fatalf("fresh store lists %d buckets", len(got))
	}
	for _, name := range []string{"bkt-zulu", "bkt-alpha", "bkt-mike", "bkt-alpha.2", "9-first"} {
		mustOK(e.t, s.CreateBucket(e.ctx, name, objstore.CreateBucketOptions{}), "create %s", name)
	}
	want := []string{"9-first", "bkt-alpha", "bkt-alpha.2", "bkt-mike", "bkt-zulu"}
	equalStrings(e.t, "buckets listed", bucketNames(e, s), want)
	mustOK(e.t, s.DeleteBucket(e.ctx, "bkt-mike"), "delete bkt-mike")
	want = []string{"9-first", "bkt-alpha", "bkt-alpha.2", "bkt-zulu"}
	equalStrings(e.t, "buckets listed after a delete", bucketNames(e, s), want)
}

func bucketNames(e *env, s objstore.Store) []string {
	e.t.Helper()
	infos, err := s.ListBuckets(e.ctx)
	mustOK(e.t, err, "list buckets")
	var names []string
	for _, b := range infos {
		if b.Created.IsZero() {
			e.t.Errorf("bucket %s listed with a zero creation time", b.Name)
		}
		names = append(names, b.Name)
	}
	return names
}

func testBucketInvalidNames(e *env) {
	names := map[string]string{
		"too short":         "ab",
		"too long":          strings.Repeat("a", 64),
		"upper case":        "MyBucket",
		"underscore":        "my_bucket",
		"ip address":        "192.168.5.4",
		"adjacent dots":     "my..bucket",
		"leading hyphen":    "-bucket",
		"trailing hyphen":   "bucket-",
		"leading dot":       ".bucket",
		"xn-- prefix":       "xn--bucket",
		"space":             "my bucket",
		"empty":             "",
		"slash":             "my/bucket",
		"reserved -s3alias": "bucket-s3alias",
	}
	for why, name := range names {
		err := e.s.CreateBucket(e.ctx, name, objstore.CreateBucketOptions{})
		if err == nil {
			e.t.Errorf("create bucket %q (%s): no error, want InvalidBucketName", name, why)
			continue
		}
		if !errors.Is(err, objstore.ErrInvalidBucketName) {
			e.t.Errorf("create bucket %q (%s): %v, want InvalidBucketName", name, why, err)
		}
	}
}

func testBucketValidNameEdges(e *env) {
	s := e.freshStore()
	for _, name := range []string{"abc", strings.Repeat("b", 63), "my.dotted.name", "1-2", "192.168.5.a"} {
		mustOK(e.t, s.CreateBucket(e.ctx, name, objstore.CreateBucketOptions{}), "create bucket %q", name)
		_, err := s.HeadBucket(e.ctx, name)
		mustOK(e.t, err, "head bucket %q", name)
	}
}

func testBucketCreateTwice(e *env) {
	b := e.bucket()
	e.putString(b, "kept", "still here")
	err := e.s.CreateBucket(e.ctx, b, objstore.CreateBucketOptions{})
	mustErr(e.t, err, objstore.ErrBucketAlreadyOwnedByYou)
	if got := e.getString(b, "kept"); got != "still here" {
		e.t.Fatalf("object after a second create: %q", got)
	}
}

func testBucketDeleteNotEmpty(e *env) {
	b := e.bucket()
	e.putString(b, "obj", "data")
	mustErr(e.t, e.s.DeleteBucket(e.ctx, b), objstore.ErrBucketNotEmpty)
	if got := e.getString(b, "obj"); got != "data" {
		e.t.Fatalf("object after a refused bucket delete: %q", got)
	}
	e.del(b, "obj", "")
	mustOK(e.t, e.s.DeleteBucket(e.ctx, b), "delete emptied bucket %s", b)
}

func testBucketDeleteOnlyDeleteMarker(e *env) {
	b := e.versionedBucket()
	v := e.putString(b, "k", "data")
	marker := e.del(b, "k", "")
	e.del(b, "k", v.VersionID)
	if res := e.list(b, objstore.ListOptions{}); len(res.Objects) != 0 {
		e.t.Fatalf("list shows %d objects, want none", len(res.Objects))
	}
	mustErr(e.t, e.s.DeleteBucket(e.ctx, b), objstore.ErrBucketNotEmpty)
	e.del(b, "k", marker.VersionID)
	mustOK(e.t, e.s.DeleteBucket(e.ctx, b), "delete bucket %s once the marker is gone", b)
}

func testBucketDeleteOnlyNoncurrent(e *env) {
	b := e.versionedBucket()
	var ids []string
	for _, k := range []string{"a", "b/c"} {
		ids = append(ids, e.putString(b, k, "one").VersionID, e.putString(b, k, "two").VersionID)
		ids = append(ids, e.del(b, k, "").VersionID)
	}
	if res := e.list(b, objstore.ListOptions{}); len(res.Objects) != 0 {
		e.t.Fatalf("list shows %d objects, want none", len(res.Objects))
	}
	mustErr(e.t, e.s.DeleteBucket(e.ctx, b), objstore.ErrBucketNotEmpty)
	keys := []string{"a", "a", "a", "b/c", "b/c", "b/c"}
	for i, id := range ids {
		e.del(b, keys[i], id)
	}
	if vs := e.allVersions(b); len(vs) != 0 {
		e.t.Fatalf("%d versions left after deleting each by ID", len(vs))
	}
	mustOK(e.t, e.s.DeleteBucket(e.ctx, b), "delete bucket %s without versions", b)
}

func testBucketRecreatedIsEmpty(e *env) {
	b := e.versionedBucket()
	v := e.putString(b, "k", "old life")
	e.del(b, "k", v.VersionID)
	mustOK(e.t, e.s.DeleteBucket(e.ctx, b), "delete bucket %s", b)
	mustOK(e.t, e.s.CreateBucket(e.ctx, b, objstore.CreateBucketOptions{}), "recreate bucket %s", b)
	state, err := e.s.GetBucketVersioning(e.ctx, b)
	mustOK(e.t, err, "get versioning of recreated %s", b)
	if state != objstore.VersioningUnversioned {
		e.t.Fatalf("recreated bucket versioning %q, want unversioned", state)
	}
	if vs := e.allVersions(b); len(vs) != 0 {
		e.t.Fatalf("recreated bucket holds %d versions", len(vs))
	}
	e.expectMissing(b, "k")
}

func testBucketMissing(e *env) {
	const b = "no-such-bucket-here"
	ctx, s := e.ctx, e.s
	body := func() *bytes.Reader { return bytes.NewReader([]byte("x")) }
	ops := map[string]func() error{
		"HeadBucket":          func() error { _, err := s.HeadBucket(ctx, b); return err },
		"DeleteBucket":        func() error { return s.DeleteBucket(ctx, b) },
		"GetBucketVersioning": func() error { _, err := s.GetBucketVersioning(ctx, b); return err },
		"PutBucketVersioning": func() error { return s.PutBucketVersioning(ctx, b, objstore.VersioningEnabled) },
		"PutObject": func() error {
			_, err := s.PutObject(ctx, b, "k", body(), objstore.PutOptions{Size: 1})
			return err
		},
		"GetObject": func() error {
			obj, err := s.GetObject(ctx, b, "k", objstore.GetOptions{})
			if err == nil {
				obj.Body.Close()
			}
			return err
		},
		"HeadObject":   func() error { _, err := s.HeadObject(ctx, b, "k", objstore.GetOptions{}); return err },
		"DeleteObject": func() error { _, err := s.DeleteObject(ctx, b, "k", objstore.DeleteOptions{}); return err },
		"ListObjects":  func() error { _, err := s.ListObjects(ctx, b, objstore.ListOptions{}); return err },
		"ListObjectVersions": func() error {
			_, err := s.ListObjectVersions(ctx, b, objstore.ListVersionsOptions{})
			return err
		},
		"GetObjectTagging": func() error { _, _, err := s.GetObjectTagging(ctx, b, "k", ""); return err },
		"PutObjectTagging": func() error { _, err := s.PutObjectTagging(ctx, b, "k", "", objstore.Tags{"a": "b"}); return err },
		"CreateMultipartUpload": func() error {
			_, err := s.CreateMultipartUpload(ctx, b, "k", objstore.PutOptions{Size: -1})
			return err
		},
		"ListMultipartUploads": func() error {
			_, err := s.ListMultipartUploads(ctx, b, objstore.ListUploadsOptions{})
			return err
		},
		"CopyObjectDestination": func() error {
			src := e.bucket()
			e.putString(src, "k", "x")
			_, err := s.CopyObject(ctx, b, "k", objstore.CopyOptions{Source: objstore.CopySource{Bucket: src, Key: "k"}})
			return err
		},
		"CopyObjectSource": func() error {
			dst := e.bucket()
			_, err := s.CopyObject(ctx, dst, "k", objstore.CopyOptions{Source: objstore.CopySource{Bucket: b, Key: "k"}})
			return err
		},
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, objstore.ErrNoSuchBucket) {
			e.t.Errorf("%s on a missing bucket: %v, want NoSuchBucket", name, err)
		}
	}
}
