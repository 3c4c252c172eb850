package storetest

import (
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

func versioningCases() []testCase {
	return []testCase{
		{"States", testVersioningStates},
		{"UnversionedNullReplaced", testVersioningUnversionedNull},
		{"EnabledDistinctVersions", testVersioningEnabledDistinct},
		{"DeleteCreatesMarker", testVersioningDeleteCreatesMarker},
		{"GetMarkerByID", testVersioningGetMarkerByID},
		{"DeleteMarkerByIDRestores", testVersioningDeleteMarkerRestores},
		{"DeleteOnMarkerAddsAnother", testVersioningDeleteOnMarker},
		{"DeleteVersionForGood", testVersioningDeleteVersion},
		{"DeleteCurrentMakesPreviousCurrent", testVersioningDeleteCurrent},
		{"UnknownVersionID", testVersioningUnknownID},
		{"PreexistingNullKept", testVersioningPreexistingNull},
		{"DeleteNullVersionByID", testVersioningDeleteNull},
		{"SuspendedPutReplacesNull", testVersioningSuspendedPut},
		{"SuspendedReplacesNoncurrentNull", testVersioningSuspendedNoncurrentNull},
		{"SuspendedDeleteAddsNullMarker", testVersioningSuspendedDelete},
		{"ListOrder", testVersioningListOrder},
		{"ListRapidPutsNewestFirst", testVersioningRapidPuts},
		{"ListPagination", testVersioningListPagination},
		{"ListPrefixDelimiter", testVersioningListPrefixDelimiter},
		{"ListEntryFields", testVersioningListFields},
	}
}

// expectVersions checks the bucket's whole version listing.
func (e *env) expectVersions(b string, want ...versionRef) {
	e.t.Helper()
	got := refsOf(e.allVersions(b))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Fatalf("versions of %s:\n got  %+v\n want %+v", b, got, want)
	}
}

func version(k, id string, latest bool) versionRef { return versionRef{k, id, false, latest} }
func marker(k, id string, latest bool) versionRef  { return versionRef{k, id, true, latest} }

func testVersioningStates(e *env) {
	b := e.bucket()
	state, err := e.s.GetBucketVersioning(e.ctx, b)
	mustOK(e.t, err, "get versioning of a new bucket")
	if state != objstore.VersioningUnversioned {
		e.t.Fatalf("new bucket versioning %q, want unversioned", state)
	}
	e.setVersioning(b, objstore.VersioningEnabled)
	e.setVersioning(b, objstore.VersioningEnabled)
	e.setVersioning(b, objstore.VersioningSuspended)
	mustErr(e.t, e.s.PutBucketVersioning(e.ctx, b, objstore.VersioningUnversioned), objstore.ErrIllegalVersioningConfiguration)
	e.setVersioning(b, objstore.VersioningEnabled)
	mustErr(e.t, e.s.PutBucketVersioning(e.ctx, b, objstore.VersioningUnversioned), objstore.ErrIllegalVersioningConfiguration)
	state, err = e.s.GetBucketVersioning(e.ctx, b)
	mustOK(e.t, err, "get versioning")
	if state != objstore.VersioningEnabled {
		e.t.Fatalf("versioning %q after a refused change, want Enabled", state)
	}
}

func testVersioningUnversionedNull(e *env) {
	b := e.bucket()
	e.putString(b, "k", "first")
	e.putString(b, "k", "second")
	e.expectVersions(b, version("k", objstore.NullVersionID, true))
	if got := e.getVersion(b, "k", objstore.NullVersionID); got != "second" {
		e.t.Fatalf("null version holds %q, want the second put", got)
	}
	e.del(b, "k", "")
	e.expectVersions(b)
	e.expectMissing(b, "k")
}

func testVersioningEnabledDistinct(e *env) {
	b := e.versionedBucket()
	ids := map[string]string{}
	var last objstore.ObjectInfo
	for i := range 5 {
		body := fmt.Sprintf("version %d", i)
		last = e.putString(b, "k", body)
		if last.VersionID == "" || last.VersionID == objstore.NullVersionID {
			e.t.Fatalf("put %d on a versioned bucket: version ID %q", i, last.VersionID)
		}
		if _, dup := ids[last.VersionID]; dup {
			e.t.Fatalf("put %d reused version ID %s", i, last.VersionID)
		}
		ids[last.VersionID] = body
	}
	if got := e.getString(b, "k"); got != "version 4" {
		e.t.Fatalf("get without a version: %q, want the latest", got)
	}
	if h := e.head(b, "k", objstore.GetOptions{}); h.VersionID != last.VersionID {
		e.t.Fatalf("head without a version: %s, want the latest %s", h.VersionID, last.VersionID)
	}
	for id, body := range ids {
		if got := e.getVersion(b, "k", id); got != body {
			e.t.Fatalf("get version %s: %q, want %q", id, got, body)
		}
		if h := e.head(b, "k", objstore.GetOptions{VersionID: id}); h.VersionID != id || h.ETag != md5hex([]byte(body)) {
			e.t.Fatalf("head version %s: %s %q", id, h.VersionID, h.ETag)
		}
	}
}

// expectMarkerCurrent checks that reading k without a version hits the
// delete marker id: NoSuchKey carrying a DeleteMarkerError.
func (e *env) expectMarkerCurrent(b, k, id string) {
	e.t.Helper()
	_, _, err := e.tryGet(b, k, objstore.GetOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	if dm := markerError(e.t, err); dm.VersionID != id {
		e.t.Fatalf("get %s: delete marker %q, want %q", k, dm.VersionID, id)
	}
	_, err = e.s.HeadObject(e.ctx, b, k, objstore.GetOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	if dm := markerError(e.t, err); dm.VersionID != id {
		e.t.Fatalf("head %s: delete marker %q, want %q", k, dm.VersionID, id)
	}
}

func testVersioningDeleteCreatesMarker(e *env) {
	b := e.versionedBucket()
	v := e.putString(b, "k", "data")
	res := e.del(b, "k", "")
	if !res.DeleteMarker || res.VersionID == "" || res.VersionID == v.VersionID || res.VersionID == objstore.NullVersionID {
		e.t.Fatalf("delete on a versioned bucket: %+v, want a new delete marker", res)
	}
	e.expectMarkerCurrent(b, "k", res.VersionID)
	if got := e.getVersion(b, "k", v.VersionID); got != "data" {
		e.t.Fatalf("version behind the marker: %q", got)
	}
	e.expectVersions(b, marker("k", res.VersionID, true), version("k", v.VersionID, false))
}

func testVersioningGetMarkerByID(e *env) {
	b := e.versionedBucket()
	e.putString(b, "k", "data")
	m := e.del(b, "k", "")
	_, _, err := e.tryGet(b, "k", objstore.GetOptions{VersionID: m.VersionID})
	mustErr(e.t, err, objstore.ErrMethodNotAllowed)
	if dm := markerError(e.t, err); dm.VersionID != m.VersionID {
		e.t.Fatalf("get of marker %s: DeleteMarkerError version %q", m.VersionID, dm.VersionID)
	}
	_, err = e.s.HeadObject(e.ctx, b, "k", objstore.GetOptions{VersionID: m.VersionID})
	mustErr(e.t, err, objstore.ErrMethodNotAllowed)
	markerError(e.t, err)
}

func testVersioningDeleteMarkerRestores(e *env) {
	b := e.versionedBucket()
	e.putString(b, "k", "one")
	v2 := e.putString(b, "k", "two")
	m := e.del(b, "k", "")
	res := e.del(b, "k", m.VersionID)
	if !res.DeleteMarker || res.VersionID != m.VersionID {
		e.t.Fatalf("delete of marker %s: %+v, want DeleteMarker and its version ID", m.VersionID, res)
	}
	if got := e.getString(b, "k"); got != "two" {
		e.t.Fatalf("after removing the marker: %q, want the last version back", got)
	}
	if h := e.head(b, "k", objstore.GetOptions{}); h.VersionID != v2.VersionID {
		e.t.Fatalf("current version %s, want %s", h.VersionID, v2.VersionID)
	}
	keys, _ := e.listAll(b, objstore.ListOptions{})
	equalStrings(e.t, "list after the marker is gone", keys, []string{"k"})
}

func testVersioningDeleteOnMarker(e *env) {
	b := e.versionedBucket()
	v := e.putString(b, "k", "data")
	m1 := e.del(b, "k", "")
	m2 := e.del(b, "k", "")
	if !m2.DeleteMarker || m2.VersionID == m1.VersionID {
		e.t.Fatalf("second delete: %+v, want a second marker", m2)
	}
	e.expectVersions(b, marker("k", m2.VersionID, true), marker("k", m1.VersionID, false), version("k", v.VersionID, false))
	e.expectMarkerCurrent(b, "k", m2.VersionID)
}

func testVersioningDeleteVersion(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "one")
	v2 := e.putString(b, "k", "two")
	res := e.del(b, "k", v1.VersionID)
	if res.DeleteMarker || res.VersionID != v1.VersionID {
		e.t.Fatalf("delete of version %s: %+v", v1.VersionID, res)
	}
	_, _, err := e.tryGet(b, "k", objstore.GetOptions{VersionID: v1.VersionID})
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
	_, err = e.s.HeadObject(e.ctx, b, "k", objstore.GetOptions{VersionID: v1.VersionID})
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
	e.expectVersions(b, version("k", v2.VersionID, true))
	if got := e.getString(b, "k"); got != "two" {
		e.t.Fatalf("current after deleting an old version: %q", got)
	}
}

func testVersioningDeleteCurrent(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "one")
	v2 := e.putString(b, "k", "two")
	e.del(b, "k", v2.VersionID)
	if got := e.getString(b, "k"); got != "one" {
		e.t.Fatalf("after deleting the current version: %q, want the previous", got)
	}
	e.expectVersions(b, version("k", v1.VersionID, true))
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 1 || res.Objects[0].ETag != v1.ETag {
		e.t.Fatalf("list after deleting the current version: %+v", res.Objects)
	}
	e.del(b, "k", v1.VersionID)
	e.expectMissing(b, "k")
	e.expectVersions(b)
}

func testVersioningUnknownID(e *env) {
	b := e.versionedBucket()
	other := e.putString(b, "other", "x")
	gone := e.putString(b, "k", "gone")
	e.putString(b, "k", "kept")
	e.del(b, "k", gone.VersionID)
	for _, id := range []string{other.VersionID, gone.VersionID} {
		_, _, err := e.tryGet(b, "k", objstore.GetOptions{VersionID: id})
		mustErr(e.t, err, objstore.ErrNoSuchVersion)
		_, err = e.s.HeadObject(e.ctx, b, "k", objstore.GetOptions{VersionID: id})
		mustErr(e.t, err, objstore.ErrNoSuchVersion)
	}
	_, _, err := e.tryGet(b, "never", objstore.GetOptions{VersionID: other.VersionID})
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
}

func testVersioningPreexistingNull(e *env) {
	b := e.bucket()
	e.putString(b, "k", "from unversioned days")
	e.setVersioning(b, objstore.VersioningEnabled)
	v := e.putString(b, "k", "versioned")
	if v.VersionID == objstore.NullVersionID || v.VersionID == "" {
		e.t.Fatalf("put after enabling: version %q", v.VersionID)
	}
	e.expectVersions(b, version("k", v.VersionID, true), version("k", objstore.NullVersionID, false))
	if got := e.getVersion(b, "k", objstore.NullVersionID); got != "from unversioned days" {
		e.t.Fatalf("null version: %q", got)
	}
}

func testVersioningDeleteNull(e *env) {
	b := e.bucket()
	e.putString(b, "k", "null body")
	e.setVersioning(b, objstore.VersioningEnabled)
	v := e.putString(b, "k", "versioned")
	res := e.del(b, "k", objstore.NullVersionID)
	if res.DeleteMarker || res.VersionID != objstore.NullVersionID {
		e.t.Fatalf("delete of the null version: %+v", res)
	}
	e.expectVersions(b, version("k", v.VersionID, true))
	_, _, err := e.tryGet(b, "k", objstore.GetOptions{VersionID: objstore.NullVersionID})
	mustErr(e.t, err, objstore.ErrNoSuchVersion)
}

func testVersioningSuspendedPut(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "one")
	v2 := e.putString(b, "k", "two")
	e.setVersioning(b, objstore.VersioningSuspended)
	e.putString(b, "k", "null one")
	e.expectVersions(b, version("k", objstore.NullVersionID, true), version("k", v2.VersionID, false), version("k", v1.VersionID, false))
	e.putString(b, "k", "null two")
	e.expectVersions(b, version("k", objstore.NullVersionID, true), version("k", v2.VersionID, false), version("k", v1.VersionID, false))
	if got := e.getString(b, "k"); got != "null two" {
		e.t.Fatalf("current: %q", got)
	}
	if got := e.getVersion(b, "k", objstore.NullVersionID); got != "null two" {
		e.t.Fatalf("null version: %q", got)
	}
	if got := e.getVersion(b, "k", v1.VersionID); got != "one" {
		e.t.Fatalf("version from before suspending: %q", got)
	}
	e.setVersioning(b, objstore.VersioningEnabled)
	v3 := e.putString(b, "k", "three")
	e.expectVersions(b, version("k", v3.VersionID, true), version("k", objstore.NullVersionID, false),
		version("k", v2.VersionID, false), version("k", v1.VersionID, false))
}

func testVersioningSuspendedNoncurrentNull(e *env) {
	b := e.bucket()
	e.putString(b, "k", "unversioned")
	e.setVersioning(b, objstore.VersioningEnabled)
	v1 := e.putString(b, "k", "enabled")
	e.setVersioning(b, objstore.VersioningSuspended)
	e.putString(b, "k", "suspended")
	e.expectVersions(b, version("k", objstore.NullVersionID, true), version("k", v1.VersionID, false))
	if got := e.getVersion(b, "k", objstore.NullVersionID); got != "suspended" {
		e.t.Fatalf("null version: %q, want the suspended-era body", got)
	}
}

func testVersioningSuspendedDelete(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "k", "one")
	v1b := e.putString(b, "plain", "enabled only")
	e.setVersioning(b, objstore.VersioningSuspended)
	e.putString(b, "k", "null body")
	res := e.del(b, "k", "")
	if !res.DeleteMarker || res.VersionID != objstore.NullVersionID {
		e.t.Fatalf("delete in a suspended bucket: %+v, want a null delete marker", res)
	}
	res = e.del(b, "plain", "")
	if !res.DeleteMarker || res.VersionID != objstore.NullVersionID {
		e.t.Fatalf("delete in a suspended bucket: %+v, want a null delete marker", res)
	}
	e.expectVersions(b,
		marker("k", objstore.NullVersionID, true), version("k", v1.VersionID, false),
		marker("plain", objstore.NullVersionID, true), version("plain", v1b.VersionID, false))
	e.expectMarkerCurrent(b, "k", objstore.NullVersionID)
	if got := e.getVersion(b, "k", v1.VersionID); got != "one" {
		e.t.Fatalf("enabled-era version after a suspended delete: %q", got)
	}
}

// buildHistory writes a's three versions and a delete marker, b's one
// version and c's two, and returns the listing S3 gives for it.
func (e *env) buildHistory(b string) []versionRef {
	e.t.Helper()
	a1 := e.putString(b, "a", "a1").VersionID
	c1 := e.putString(b, "c", "c1").VersionID
	a2 := e.putString(b, "a", "a2").VersionID
	b1 := e.putString(b, "b", "b1").VersionID
	a3 := e.putString(b, "a", "a3").VersionID
	c2 := e.putString(b, "c", "c2").VersionID
	am := e.del(b, "a", "").VersionID
	return []versionRef{
		marker("a", am, true), version("a", a3, false), version("a", a2, false), version("a", a1, false),
		version("b", b1, true),
		version("c", c2, true), version("c", c1, false),
	}
}

func testVersioningListOrder(e *env) {
	b := e.versionedBucket()
	want := e.buildHistory(b)
	e.expectVersions(b, want...)
	for _, v := range e.allVersions(b) {
		if v.LastModified.IsZero() {
			e.t.Errorf("version %s of %s: zero LastModified", v.VersionID, v.Key)
		}
	}
}

func testVersioningRapidPuts(e *env) {
	b := e.versionedBucket()
	var want []versionRef
	for i := range 12 {
		v := e.putString(b, "k", fmt.Sprint(i))
		want = append([]versionRef{version("k", v.VersionID, false)}, want...)
	}
	want[0].IsLatest = true
	e.expectVersions(b, want...)
}

func testVersioningListPagination(e *env) {
	b := e.versionedBucket()
	want := e.buildHistory(b)
	for _, n := range []int{1, 2, 3} {
		vs, _ := e.versionsAll(b, objstore.ListVersionsOptions{MaxKeys: n})
		if got := refsOf(vs); fmt.Sprint(got) != fmt.Sprint(want) {
			e.t.Fatalf("versions in pages of %d:\n got  %+v\n want %+v", n, got, want)
		}
	}
	first := e.versions(b, objstore.ListVersionsOptions{MaxKeys: 2})
	if !first.IsTruncated || first.NextKeyMarker != "a" || first.NextVersionIDMarker != want[1].VersionID {
		e.t.Fatalf("first page of 2: truncated %v next %q/%q, want a/%s",
			first.IsTruncated, first.NextKeyMarker, first.NextVersionIDMarker, want[1].VersionID)
	}
	rest := e.versions(b, objstore.ListVersionsOptions{KeyMarker: "a"})
	if got := refsOf(rest.Versions); fmt.Sprint(got) != fmt.Sprint(want[4:]) {
		e.t.Fatalf("versions after key marker a:\n got  %+v\n want %+v", got, want[4:])
	}
}

func testVersioningListPrefixDelimiter(e *env) {
	b := e.versionedBucket()
	d1 := e.putString(b, "d/1", "x").VersionID
	d2 := e.putString(b, "d/2", "x").VersionID
	d1b := e.putString(b, "d/1", "y").VersionID
	top := e.putString(b, "top", "x").VersionID
	e.putString(b, "d/sub/deep", "x")
	vs, prefixes := e.versionsAll(b, objstore.ListVersionsOptions{Delimiter: "/"})
	if got := fmt.Sprint(refsOf(vs)); got != fmt.Sprint([]versionRef{version("top", top, true)}) {
		e.t.Fatalf("versions at the top: %s", got)
	}
	equalStrings(e.t, "prefixes at the top", prefixes, []string{"d/"})
	vs, prefixes = e.versionsAll(b, objstore.ListVersionsOptions{Prefix: "d/", Delimiter: "/"})
	want := []versionRef{version("d/1", d1b, true), version("d/1", d1, false), version("d/2", d2, true)}
	if got := fmt.Sprint(refsOf(vs)); got != fmt.Sprint(want) {
		e.t.Fatalf("versions under d/: %s, want %+v", got, want)
	}
	equalStrings(e.t, "prefixes under d/", prefixes, []string{"d/sub/"})
	for _, n := range []int{1, 2} {
		vs, prefixes = e.versionsAll(b, objstore.ListVersionsOptions{Delimiter: "/", MaxKeys: n})
		if len(vs) != 1 || len(prefixes) != 1 {
			e.t.Fatalf("pages of %d: %d versions and prefixes %q, want 1 and [d/]", n, len(vs), prefixes)
		}
	}
}

func testVersioningListFields(e *env) {
	b := e.versionedBucket()
	data := fill(70<<10, 1)
	e.put(b, "k", data)
	e.del(b, "k", "")
	vs := e.allVersions(b)
	if len(vs) != 2 {
		e.t.Fatalf("%d versions, want 2", len(vs))
	}
	if m := vs[0]; !m.DeleteMarker || m.Size != 0 || m.Key != "k" {
		e.t.Fatalf("delete marker entry: %+v", m)
	}
	if v := vs[1]; v.DeleteMarker || v.Size != int64(len(data)) || v.ETag != md5hex(data) ||
		v.StorageClass != objstore.DefaultStorageClass {
		e.t.Fatalf("version entry: size %d etag %q class %q", v.Size, v.ETag, v.StorageClass)
	}
}
