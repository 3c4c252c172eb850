package disk

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func versionIDs(t *testing.T, s *Store, bucket string) []string {
	t.Helper()
	res, err := s.ListObjectVersions(context.Background(), bucket, objstore.ListVersionsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range res.Versions {
		id := v.VersionID
		if v.DeleteMarker {
			id = "dm:" + id
		}
		if v.IsLatest {
			id += "*"
		}
		ids = append(ids, v.Key+"@"+id)
	}
	return ids
}

func TestVersioningLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "ver")

	// Unversioned: a put replaces the null version, a delete removes it.
	put(t, s, "ver", "k", []byte("one"))
	if info := put(t, s, "ver", "k", []byte("two")); info.VersionID != objstore.NullVersionID {
		t.Fatalf("unversioned put version id %q", info.VersionID)
	}
	if ids := versionIDs(t, s, "ver"); len(ids) != 1 || ids[0] != "k@null*" {
		t.Fatalf("unversioned versions: %v", ids)
	}

	if err := s.PutBucketVersioning(ctx, "ver", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	v3 := put(t, s, "ver", "k", []byte("three"))
	dm, err := s.DeleteObject(ctx, "ver", "k", objstore.DeleteOptions{})
	if err != nil || !dm.DeleteMarker || dm.VersionID == "" || dm.VersionID == objstore.NullVersionID {
		t.Fatalf("delete on enabled bucket: %+v, %v", dm, err)
	}
	want := []string{"k@dm:" + dm.VersionID + "*", "k@" + v3.VersionID, "k@null"}
	if ids := versionIDs(t, s, "ver"); !equal(ids, want) {
		t.Fatalf("versions: %v, want %v", ids, want)
	}
	var dme *objstore.DeleteMarkerError
	if _, err := s.GetObject(ctx, "ver", "k", objstore.GetOptions{}); !errors.As(err, &dme) || !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Fatalf("get under a delete marker: %v", err)
	}
	if _, err := s.HeadObject(ctx, "ver", "k", objstore.GetOptions{VersionID: dm.VersionID}); !errors.As(err, &dme) || !errors.Is(err, objstore.ErrMethodNotAllowed) {
		t.Fatalf("head of a delete marker version: %v", err)
	}
	if res, _ := s.ListObjects(ctx, "ver", objstore.ListOptions{}); len(res.Objects) != 0 {
		t.Fatalf("list shows a deleted key: %+v", res.Objects)
	}
	// Removing the marker brings the object back.
	if res, err := s.DeleteObject(ctx, "ver", "k", objstore.DeleteOptions{VersionID: dm.VersionID}); err != nil || !res.DeleteMarker {
		t.Fatalf("remove marker: %+v, %v", res, err)
	}
	if got := get(t, s, "ver", "k", objstore.GetOptions{}); string(got) != "three" {
		t.Fatalf("after removing the marker: %q", got)
	}
	if got := get(t, s, "ver", "k", objstore.GetOptions{VersionID: "null"}); string(got) != "two" {
		t.Fatalf("null version: %q", got)
	}
	// Removing the current version makes the next one current.
	if _, err := s.DeleteObject(ctx, "ver", "k", objstore.DeleteOptions{VersionID: v3.VersionID}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "ver", "k", objstore.GetOptions{}); string(got) != "two" {
		t.Fatalf("after removing the current version: %q", got)
	}
	if res, _ := s.ListObjects(ctx, "ver", objstore.ListOptions{}); len(res.Objects) != 1 || res.Objects[0].ETag != md5hex([]byte("two")) {
		t.Fatalf("list after removing the current version: %+v", res.Objects)
	}

	// Suspended: puts and deletes replace the null version.
	v4 := put(t, s, "ver", "k", []byte("four"))
	if err := s.PutBucketVersioning(ctx, "ver", objstore.VersioningSuspended); err != nil {
		t.Fatal(err)
	}
	put(t, s, "ver", "k", []byte("five"))
	want = []string{"k@null*", "k@" + v4.VersionID}
	if ids := versionIDs(t, s, "ver"); !equal(ids, want) {
		t.Fatalf("suspended put: %v, want %v", ids, want)
	}
	if res, err := s.DeleteObject(ctx, "ver", "k", objstore.DeleteOptions{}); err != nil || res.VersionID != "null" || !res.DeleteMarker {
		t.Fatalf("suspended delete: %+v, %v", res, err)
	}
	want = []string{"k@dm:null*", "k@" + v4.VersionID}
	if ids := versionIDs(t, s, "ver"); !equal(ids, want) {
		t.Fatalf("suspended delete: %v, want %v", ids, want)
	}
	if err := s.PutBucketVersioning(ctx, "ver", objstore.VersioningUnversioned); !errors.Is(err, objstore.ErrIllegalVersioningConfiguration) {
		t.Fatalf("back to unversioned: %v", err)
	}
}

func TestVersionIDErrors(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "ver")
	if err := s.PutBucketVersioning(ctx, "ver", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	v := put(t, s, "ver", "k", []byte("x"))
	seq, tag, err := parseVersionID(v.VersionID)
	if err != nil {
		t.Fatal(err)
	}
	tag[0] ^= 1
	forged := formatVersionID(seq, tag) // same seq, other random half
	for id, want := range map[string]error{
		string(forged):           objstore.ErrNoSuchVersion,
		"AAAAAAAAAAAAAAAAAAAAAA": objstore.ErrNoSuchVersion,
		"not-a-version":          objstore.ErrInvalidVersionID,
		"null":                   objstore.ErrNoSuchVersion,
	} {
		if _, err := s.GetObject(ctx, "ver", "k", objstore.GetOptions{VersionID: id}); !errors.Is(err, want) {
			t.Errorf("version %q: %v, want %v", id, err, want)
		}
	}
	if _, err := s.GetObject(ctx, "ver", "other", objstore.GetOptions{VersionID: v.VersionID}); !errors.Is(err, objstore.ErrNoSuchVersion) {
		t.Errorf("version of another key: %v", err)
	}
}

// The seq lease keeps versions in order across a reopen even when the
// clock went back meanwhile.
func TestVersionsStayOrderedWhenClockGoesBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "ver")
	if err := s.PutBucketVersioning(ctx, "ver", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	put(t, s, "ver", "k", []byte("old"))
	s.Close()

	s = openTest(t, dir, Options{})
	s.clock.now = func() time.Time { return time.Now().Add(-24 * time.Hour) }
	newer := put(t, s, "ver", "k", []byte("new"))
	if got := get(t, s, "ver", "k", objstore.GetOptions{}); string(got) != "new" {
		t.Fatalf("current after the clock went back: %q", got)
	}
	if ids := versionIDs(t, s, "ver"); ids[0] != "k@"+newer.VersionID+"*" {
		t.Fatalf("versions: %v", ids)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
