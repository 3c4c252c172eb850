package storetest

import (
	"fmt"
	"maps"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

func metadataCases() []testCase {
	return []testCase{
		{"Defaults", testMetaDefaults},
		{"RoundTrip", testMetaRoundTrip},
		{"UserMetadataLowerCase", testMetaLowerCase},
		{"OverwriteReplaces", testMetaOverwriteReplaces},
		{"StorageClasses", testMetaStorageClasses},
		{"InvalidStorageClass", testMetaInvalidStorageClass},
		{"TooLarge", testMetaTooLarge},
		{"TooManyTags", testMetaTooManyTags},
		{"InvalidTags", testMetaInvalidTags},
	}
}

// fullMeta sets every field a writer can set.
func fullMeta() objstore.ObjectMeta {
	return objstore.ObjectMeta{
		ContentType:        "text/plain; charset=utf-8",
		ContentEncoding:    "gzip",
		ContentDisposition: `attachment; filename="report.txt"`,
		ContentLanguage:    "de-CH",
		CacheControl:       "max-age=3600, must-revalidate",
		Expires:            "Thu, 01 Dec 2044 16:00:00 GMT",
		UserMetadata:       map[string]string{"color": "blue", "mode": "0644", "note": "two words"},
		Tags:               objstore.Tags{"project": "cairn", "empty": "", "with space": "a b"},
		StorageClass:       "STANDARD_IA",
	}
}

// checkMeta fails the test when got differs from want in any field a
// writer sets.
func (e *env) checkMeta(what string, got, want objstore.ObjectMeta) {
	e.t.Helper()
	pairs := [][3]string{
		{"ContentType", got.ContentType, want.ContentType},
		{"ContentEncoding", got.ContentEncoding, want.ContentEncoding},
		{"ContentDisposition", got.ContentDisposition, want.ContentDisposition},
		{"ContentLanguage", got.ContentLanguage, want.ContentLanguage},
		{"CacheControl", got.CacheControl, want.CacheControl},
		{"Expires", got.Expires, want.Expires},
		{"StorageClass", string(got.StorageClass), string(want.StorageClass)},
	}
	for _, p := range pairs {
		if p[1] != p[2] {
			e.t.Errorf("%s: %s %q, want %q", what, p[0], p[1], p[2])
		}
	}
	if !sameStrings(got.UserMetadata, want.UserMetadata) {
		e.t.Errorf("%s: UserMetadata %v, want %v", what, got.UserMetadata, want.UserMetadata)
	}
	if !sameStrings(got.Tags, want.Tags) {
		e.t.Errorf("%s: Tags %v, want %v", what, got.Tags, want.Tags)
	}
}

// sameStrings compares two string maps, nil and empty being equal.
func sameStrings[M ~map[string]string](a, b M) bool {
	return len(a) == len(b) && maps.Equal(a, b)
}

// defaultMeta is what an object stored without metadata reports.
func defaultMeta() objstore.ObjectMeta {
	return objstore.ObjectMeta{ContentType: "binary/octet-stream", StorageClass: objstore.DefaultStorageClass}
}

// checkStoredMeta checks the metadata of k through Head, Get and
// GetObjectTagging.
func (e *env) checkStoredMeta(b, k string, want objstore.ObjectMeta) {
	e.t.Helper()
	e.checkMeta("head "+k, e.head(b, k, objstore.GetOptions{}).ObjectMeta, want)
	_, obj := e.get(b, k, objstore.GetOptions{})
	e.checkMeta("get "+k, obj.Info.ObjectMeta, want)
	tags, _, err := e.s.GetObjectTagging(e.ctx, b, k, "")
	mustOK(e.t, err, "get tagging of %s", k)
	if !sameStrings(tags, want.Tags) {
		e.t.Errorf("get tagging of %s: %v, want %v", k, tags, want.Tags)
	}
}

func testMetaDefaults(e *env) {
	b := e.bucket()
	e.putString(b, "plain", "no metadata given")
	e.checkStoredMeta(b, "plain", defaultMeta())
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 1 || res.Objects[0].StorageClass != objstore.DefaultStorageClass {
		e.t.Fatalf("list: %+v, want one STANDARD object", res.Objects)
	}
}

func testMetaRoundTrip(e *env) {
	b := e.bucket()
	meta := fullMeta()
	for _, n := range []int{10, 100 << 10} {
		k := fmt.Sprintf("obj-%d", n)
		e.putOpts(b, k, fill(n, 1), objstore.PutOptions{ObjectMeta: meta})
		e.checkStoredMeta(b, k, meta)
		res := e.list(b, objstore.ListOptions{Prefix: k})
		if len(res.Objects) != 1 || res.Objects[0].StorageClass != meta.StorageClass {
			e.t.Fatalf("list %s: %+v, want storage class %s", k, res.Objects, meta.StorageClass)
		}
	}
}

func testMetaLowerCase(e *env) {
	b := e.bucket()
	meta := objstore.ObjectMeta{UserMetadata: map[string]string{"Mixed-Case": "Value Kept", "UPPER": "X"}}
	e.putOpts(b, "k", []byte("x"), objstore.PutOptions{ObjectMeta: meta})
	want := map[string]string{"mixed-case": "Value Kept", "upper": "X"}
	if got := e.head(b, "k", objstore.GetOptions{}).UserMetadata; !sameStrings(got, want) {
		e.t.Fatalf("user metadata %v, want names in lower case %v", got, want)
	}
}

func testMetaOverwriteReplaces(e *env) {
	b := e.bucket()
	e.putOpts(b, "k", []byte("one"), objstore.PutOptions{ObjectMeta: fullMeta()})
	e.putString(b, "k", "two")
	e.checkStoredMeta(b, "k", defaultMeta())
}

func testMetaStorageClasses(e *env) {
	b := e.bucket()
	for _, c := range []objstore.StorageClass{"STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "REDUCED_REDUNDANCY"} {
		k := "obj-" + strings.ToLower(string(c))
		e.putOpts(b, k, []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{StorageClass: c}})
		if got := e.head(b, k, objstore.GetOptions{}).StorageClass; got != c {
			e.t.Errorf("storage class %s stored as %q", c, got)
		}
	}
}

func testMetaInvalidStorageClass(e *env) {
	b := e.bucket()
	for _, c := range []objstore.StorageClass{"FOO", "GLACIER_DEEP", "STANDARDX"} {
		_, err := e.tryPut(b, "k", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{StorageClass: c}})
		mustErr(e.t, err, objstore.ErrInvalidStorageClass)
	}
	e.expectMissing(b, "k")
}

func testMetaTooLarge(e *env) {
	b := e.bucket()
	ok := map[string]string{"a": strings.Repeat("v", 1000), "b": strings.Repeat("w", 900)}
	e.putOpts(b, "fits", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{UserMetadata: ok}})
	if got := e.head(b, "fits", objstore.GetOptions{}).UserMetadata; !sameStrings(got, ok) {
		e.t.Fatalf("1.9 KiB of user metadata came back changed")
	}
	big := map[string]string{"a": strings.Repeat("v", 1500), "b": strings.Repeat("w", 1500)}
	_, err := e.tryPut(b, "big", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{UserMetadata: big}})
	mustErr(e.t, err, objstore.ErrMetadataTooLarge)
	e.expectMissing(b, "big")
}

// tagSet returns n distinct tags.
func tagSet(n int) objstore.Tags {
	tags := objstore.Tags{}
	for i := range n {
		tags[fmt.Sprintf("key%d", i)] = fmt.Sprintf("value%d", i)
	}
	return tags
}

func testMetaTooManyTags(e *env) {
	b := e.bucket()
	ten := tagSet(objstore.MaxTags)
	e.putOpts(b, "ten", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: ten}})
	tags, _, err := e.s.GetObjectTagging(e.ctx, b, "ten", "")
	mustOK(e.t, err, "get tagging")
	if !sameStrings(tags, ten) {
		e.t.Fatalf("10 tags stored as %v", tags)
	}
	_, err = e.tryPut(b, "eleven", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: tagSet(11)}})
	mustErr(e.t, err, objstore.ErrInvalidTag)
	e.expectMissing(b, "eleven")
}

func testMetaInvalidTags(e *env) {
	b := e.bucket()
	bad := []objstore.Tags{
		{strings.Repeat("k", objstore.MaxTagKeyLength+1): "v"},
		{"k": strings.Repeat("v", objstore.MaxTagValueLength+1)},
		{"": "empty key"},
		{"aws:reserved": "v"},
	}
	for _, tags := range bad {
		_, err := e.tryPut(b, "k", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: tags}})
		mustErr(e.t, err, objstore.ErrInvalidTag)
	}
	e.expectMissing(b, "k")
	longest := objstore.Tags{strings.Repeat("k", objstore.MaxTagKeyLength): strings.Repeat("v", objstore.MaxTagValueLength)}
	e.putOpts(b, "k", []byte("x"), objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: longest}})
}
