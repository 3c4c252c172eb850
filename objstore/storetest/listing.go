package storetest

import (
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

func listingCases() []testCase {
	return []testCase{
		{"EmptyBucket", testListEmptyBucket},
		{"Prefix", testListPrefix},
		{"DelimiterSlash", testListDelimiterSlash},
		{"DelimiterOther", testListDelimiterOther},
		{"DelimiterMultiByte", testListDelimiterMultiByte},
		{"PrefixNotAtDelimiter", testListPrefixNotAtDelimiter},
		{"StartAfter", testListStartAfter},
		{"PaginationFlat", func(e *env) { testListPagination(e, "", "") }},
		{"PaginationDelimiter", func(e *env) { testListPagination(e, "", "/") }},
		{"PaginationPrefixDelimiter", func(e *env) { testListPagination(e, "a/", "/") }},
		{"PaginationStartAfter", testListPaginationStartAfter},
		{"ThousandKeys", testListThousandKeys},
		{"GarbageToken", testListGarbageToken},
		{"TrailingSlashKeys", testListTrailingSlash},
		{"DoubleSlashRuns", testListDoubleSlash},
		{"UnicodeByteOrder", testListUnicodeOrder},
		{"HidesDeletedAndNoncurrent", testListHidesVersions},
		{"ObjectAndPrefixSameName", testListObjectAndPrefix},
		{"EntryFields", testListEntryFields},
	}
}

// putKeys stores a small distinct body under each key.
func (e *env) putKeys(b string, keys ...string) {
	e.t.Helper()
	for _, k := range keys {
		e.putString(b, k, "body of "+k)
	}
}

// expectList checks one listing, walked with the given page size, against
// the model of S3 listing over keys.
func (e *env) expectList(b string, keys []string, opts objstore.ListOptions) {
	e.t.Helper()
	gotKeys, gotPrefixes := e.listAll(b, opts)
	wantKeys, wantPrefixes := modelList(keys, opts.Prefix, opts.Delimiter, opts.StartAfter)
	what := fmt.Sprintf("list prefix %q delimiter %q start-after %q max-keys %d",
		opts.Prefix, opts.Delimiter, opts.StartAfter, opts.MaxKeys)
	equalStrings(e.t, what+": keys", gotKeys, wantKeys)
	equalStrings(e.t, what+": common prefixes", gotPrefixes, wantPrefixes)
}

func testListEmptyBucket(e *env) {
	b := e.bucket()
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 0 || len(res.CommonPrefixes) != 0 || res.IsTruncated || res.NextContinuationToken != "" {
		e.t.Fatalf("list of an empty bucket: %+v", res)
	}
	res = e.list(b, objstore.ListOptions{Prefix: "a/", Delimiter: "/", MaxKeys: 1})
	if len(res.Objects) != 0 || len(res.CommonPrefixes) != 0 || res.IsTruncated {
		e.t.Fatalf("list of an empty bucket with options: %+v", res)
	}
}

func testListPrefix(e *env) {
	b := e.bucket()
	keys := []string{"a/1", "a/2", "ab", "b/1", "abc/d"}
	e.putKeys(b, keys...)
	for _, p := range []string{"a/", "a", "ab", "b", "c", "abc/d", "abc/d/"} {
		e.expectList(b, keys, objstore.ListOptions{Prefix: p})
	}
	got, _ := e.listAll(b, objstore.ListOptions{Prefix: "a"})
	equalStrings(e.t, `list prefix "a"`, got, []string{"a/1", "a/2", "ab", "abc/d"})
}

func testListDelimiterSlash(e *env) {
	b := e.bucket()
	keys := []string{"top", "a/1", "a/2", "b/c/d", "b/e", "z/"}
	e.putKeys(b, keys...)
	gotKeys, gotPrefixes := e.listAll(b, objstore.ListOptions{Delimiter: "/"})
	equalStrings(e.t, "keys at the top", gotKeys, []string{"top"})
	equalStrings(e.t, "prefixes at the top", gotPrefixes, []string{"a/", "b/", "z/"})
	gotKeys, gotPrefixes = e.listAll(b, objstore.ListOptions{Prefix: "b/", Delimiter: "/"})
	equalStrings(e.t, "keys under b/", gotKeys, []string{"b/e"})
	equalStrings(e.t, "prefixes under b/", gotPrefixes, []string{"b/c/"})
	for _, p := range []string{"", "a/", "b/c/", "z/", "q/"} {
		e.expectList(b, keys, objstore.ListOptions{Prefix: p, Delimiter: "/"})
	}
}

func testListDelimiterOther(e *env) {
	b := e.bucket()
	keys := []string{"2024-01-01.log", "2024-02-01.log", "2025-01-01.log", "readme", "a/b-c"}
	e.putKeys(b, keys...)
	gotKeys, gotPrefixes := e.listAll(b, objstore.ListOptions{Delimiter: "-"})
	equalStrings(e.t, `keys with delimiter "-"`, gotKeys, []string{"readme"})
	equalStrings(e.t, `prefixes with delimiter "-"`, gotPrefixes, []string{"2024-", "2025-", "a/b-"})
	e.expectList(b, keys, objstore.ListOptions{Prefix: "2024-", Delimiter: "-"})
	e.expectList(b, keys, objstore.ListOptions{Delimiter: "."})
}

func testListDelimiterMultiByte(e *env) {
	b := e.bucket()
	keys := []string{"a::b::c", "a::d", "a:e", "f", "日→本→語", "日→x"}
	e.putKeys(b, keys...)
	gotKeys, gotPrefixes := e.listAll(b, objstore.ListOptions{Delimiter: "::"})
	equalStrings(e.t, `keys with delimiter "::"`, gotKeys, []string{"a:e", "f", "日→x", "日→本→語"})
	equalStrings(e.t, `prefixes with delimiter "::"`, gotPrefixes, []string{"a::"})
	e.expectList(b, keys, objstore.ListOptions{Prefix: "a::", Delimiter: "::"})
	gotKeys, gotPrefixes = e.listAll(b, objstore.ListOptions{Delimiter: "→"})
	equalStrings(e.t, `keys with delimiter "→"`, gotKeys, []string{"a::b::c", "a::d", "a:e", "f"})
	equalStrings(e.t, `prefixes with delimiter "→"`, gotPrefixes, []string{"日→"})
}

func testListPrefixNotAtDelimiter(e *env) {
	b := e.bucket()
	keys := []string{"photos/a.jpg", "photos/b/c.jpg", "photo.jpg", "phone/x", "other"}
	e.putKeys(b, keys...)
	gotKeys, gotPrefixes := e.listAll(b, objstore.ListOptions{Prefix: "ph", Delimiter: "/"})
	equalStrings(e.t, `keys under "ph"`, gotKeys, []string{"photo.jpg"})
	equalStrings(e.t, `prefixes under "ph"`, gotPrefixes, []string{"phone/", "photos/"})
}

func testListStartAfter(e *env) {
	b := e.bucket()
	keys := []string{"a", "b", "c", "d", "dir/x", "dir/y"}
	e.putKeys(b, keys...)
	for _, after := range []string{"a", "b", "bb", "0", "d", "dir/x", "zzz", "dir/y"} {
		e.expectList(b, keys, objstore.ListOptions{StartAfter: after})
	}
	got, _ := e.listAll(b, objstore.ListOptions{StartAfter: "bb"})
	equalStrings(e.t, `keys after "bb"`, got, []string{"c", "d", "dir/x", "dir/y"})
	e.expectList(b, keys, objstore.ListOptions{StartAfter: "c", Delimiter: "/"})
	e.expectList(b, keys, objstore.ListOptions{StartAfter: "dir/", Delimiter: "/"})
	e.expectList(b, keys, objstore.ListOptions{StartAfter: "dir/", Prefix: "dir/"})
	e.expectList(b, keys, objstore.ListOptions{StartAfter: "a", Prefix: "dir/"})
}

// paginationKeys mix objects, directory markers and nested prefixes.
var paginationKeys = []string{
	"a", "a/", "a/1", "a/2", "a/b/1", "a/b/2", "a/c/", "b", "b/1", "c/1", "c/2", "c/3",
	"d", "e/", "e/f", "f/g/h", "z",
}

func testListPagination(e *env, prefix, delimiter string) {
	b := e.bucket()
	e.putKeys(b, paginationKeys...)
	for _, n := range []int{1, 2, 3, 0} {
		e.expectList(b, paginationKeys, objstore.ListOptions{Prefix: prefix, Delimiter: delimiter, MaxKeys: n})
	}
}

func testListPaginationStartAfter(e *env) {
	b := e.bucket()
	e.putKeys(b, paginationKeys...)
	for _, n := range []int{1, 2} {
		e.expectList(b, paginationKeys, objstore.ListOptions{StartAfter: "a/b/1", MaxKeys: n})
		e.expectList(b, paginationKeys, objstore.ListOptions{StartAfter: "b", Delimiter: "/", MaxKeys: n})
	}
}

func testListThousandKeys(e *env) {
	b := e.bucket()
	const n = objstore.MaxListKeys + 5
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("k/%05d", i)
	}
	e.putMany(b, keys, func(i int) []byte { return []byte(keys[i]) })
	for _, maxKeys := range []int{0, 5000} {
		res := e.list(b, objstore.ListOptions{MaxKeys: maxKeys})
		if len(res.Objects) != objstore.MaxListKeys || !res.IsTruncated || res.NextContinuationToken == "" {
			e.t.Fatalf("list max-keys %d: %d objects truncated %v token %q, want 1000, true and a token",
				maxKeys, len(res.Objects), res.IsTruncated, res.NextContinuationToken)
		}
		equalStrings(e.t, "first page", keysOf(res.Objects), keys[:objstore.MaxListKeys])
		next := e.list(b, objstore.ListOptions{MaxKeys: maxKeys, ContinuationToken: res.NextContinuationToken})
		equalStrings(e.t, "second page", keysOf(next.Objects), keys[objstore.MaxListKeys:])
		if next.IsTruncated {
			e.t.Fatalf("second page of %d keys still truncated", n)
		}
	}
	e.expectList(b, keys, objstore.ListOptions{})
	e.expectList(b, keys, objstore.ListOptions{Delimiter: "/"})
	e.expectList(b, keys, objstore.ListOptions{MaxKeys: 300, StartAfter: "k/00100"})
}

func testListGarbageToken(e *env) {
	b := e.bucket()
	e.putKeys(b, "a", "b")
	for _, tok := range []string{"!!!not a token!!!", "%%%", "\x00\x01"} {
		_, err := e.s.ListObjects(e.ctx, b, objstore.ListOptions{ContinuationToken: tok})
		mustErr(e.t, err, objstore.ErrInvalidArgument)
	}
}

func testListTrailingSlash(e *env) {
	b := e.bucket()
	keys := []string{"dir/", "dir/file", "dir/sub/", "dir/sub/deep", "empty/"}
	e.putKeys(b, keys...)
	gotKeys, gotPrefixes := e.listAll(b, objstore.ListOptions{Delimiter: "/"})
	equalStrings(e.t, "keys at the top", gotKeys, nil)
	equalStrings(e.t, "prefixes at the top", gotPrefixes, []string{"dir/", "empty/"})
	gotKeys, gotPrefixes = e.listAll(b, objstore.ListOptions{Prefix: "dir/", Delimiter: "/"})
	equalStrings(e.t, "keys in dir/", gotKeys, []string{"dir/", "dir/file"})
	equalStrings(e.t, "prefixes in dir/", gotPrefixes, []string{"dir/sub/"})
	gotKeys, _ = e.listAll(b, objstore.ListOptions{Prefix: "empty/", Delimiter: "/"})
	equalStrings(e.t, "keys in empty/", gotKeys, []string{"empty/"})
	e.expectList(b, keys, objstore.ListOptions{})
}

func testListDoubleSlash(e *env) {
	b := e.bucket()
	keys := []string{"a//b", "a///c", "a/d", "x//"}
	e.putKeys(b, keys...)
	_, prefixes := e.listAll(b, objstore.ListOptions{Delimiter: "/"})
	equalStrings(e.t, "prefixes at the top", prefixes, []string{"a/", "x/"})
	gotKeys, prefixes := e.listAll(b, objstore.ListOptions{Prefix: "a/", Delimiter: "/"})
	equalStrings(e.t, `keys in "a/"`, gotKeys, []string{"a/d"})
	equalStrings(e.t, `prefixes in "a/"`, prefixes, []string{"a//"})
	gotKeys, prefixes = e.listAll(b, objstore.ListOptions{Prefix: "a//", Delimiter: "/"})
	equalStrings(e.t, `keys in "a//"`, gotKeys, []string{"a//b"})
	equalStrings(e.t, `prefixes in "a//"`, prefixes, []string{"a///"})
	gotKeys, _ = e.listAll(b, objstore.ListOptions{Prefix: "x//", Delimiter: "/"})
	equalStrings(e.t, `keys in "x//"`, gotKeys, []string{"x//"})
	for _, n := range []int{1, 2} {
		e.expectList(b, keys, objstore.ListOptions{Prefix: "a/", Delimiter: "/", MaxKeys: n})
	}
}

func testListUnicodeOrder(e *env) {
	b := e.bucket()
	// In UTF-8 byte order: "Z" < "a" < "é" (C3 A9) < "日" (E6 97 A5) <
	// "｡" (EF BD A1) < "😀" (F0 9F 98 80). UTF-16 order would put the
	// emoji, a surrogate pair, before "｡".
	want := []string{"Z", "a", "a/é", "é", "日", "日本", "｡", "😀"}
	e.putKeys(b, "😀", "日本", "a/é", "｡", "a", "é", "Z", "日")
	got, _ := e.listAll(b, objstore.ListOptions{})
	equalStrings(e.t, "keys in byte order", got, want)
	got, _ = e.listAll(b, objstore.ListOptions{MaxKeys: 3})
	equalStrings(e.t, "keys in byte order, pages of 3", got, want)
	got, _ = e.listAll(b, objstore.ListOptions{StartAfter: "é"})
	equalStrings(e.t, `keys after "é"`, got, want[4:])
}

func testListHidesVersions(e *env) {
	b := e.versionedBucket()
	e.putString(b, "gone", "one")
	e.del(b, "gone", "")
	e.putString(b, "kept", "old")
	kept := e.putString(b, "kept", "newer body")
	e.putString(b, "dir/gone", "x")
	e.del(b, "dir/gone", "")
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 1 || res.Objects[0].Key != "kept" || res.Objects[0].ETag != kept.ETag ||
		res.Objects[0].Size != int64(len("newer body")) {
		e.t.Fatalf("list: %+v, want only the current version of kept", res.Objects)
	}
	_, prefixes := e.listAll(b, objstore.ListOptions{Delimiter: "/"})
	equalStrings(e.t, "prefixes of deleted keys", prefixes, nil)
}

func testListObjectAndPrefix(e *env) {
	b := e.bucket()
	keys := []string{"a", "a/b", "a/c/d", "a0"}
	e.putKeys(b, keys...)
	gotKeys, gotPrefixes := e.listAll(b, objstore.ListOptions{Delimiter: "/"})
	equalStrings(e.t, "keys", gotKeys, []string{"a", "a0"})
	equalStrings(e.t, "prefixes", gotPrefixes, []string{"a/"})
	for _, n := range []int{1, 2} {
		e.expectList(b, keys, objstore.ListOptions{Delimiter: "/", MaxKeys: n})
	}
	page := e.list(b, objstore.ListOptions{Delimiter: "/", MaxKeys: 1})
	if len(page.Objects) != 1 || page.Objects[0].Key != "a" || len(page.CommonPrefixes) != 0 {
		e.t.Fatalf("first page of 1: %v %v, want object a", keysOf(page.Objects), page.CommonPrefixes)
	}
	e.expectList(b, keys, objstore.ListOptions{Prefix: "a", Delimiter: "/"})
}

func testListEntryFields(e *env) {
	b := e.bucket()
	e.putString(b, "small", "12345")
	bigData := fill(70<<10, 3)
	e.put(b, "big", bigData)
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 2 {
		e.t.Fatalf("list: %d objects, want 2", len(res.Objects))
	}
	want := []objstore.ObjectInfo{
		{Key: "big", Size: int64(len(bigData)), ETag: md5hex(bigData)},
		{Key: "small", Size: 5, ETag: md5hex([]byte("12345"))},
	}
	for i, w := range want {
		got := res.Objects[i]
		if got.Key != w.Key || got.Size != w.Size || got.ETag != w.ETag {
			e.t.Errorf("entry %d: %s %d %q, want %s %d %q", i, got.Key, got.Size, got.ETag, w.Key, w.Size, w.ETag)
		}
		if got.LastModified.IsZero() {
			e.t.Errorf("entry %s: zero LastModified", got.Key)
		}
		if got.StorageClass != objstore.DefaultStorageClass {
			e.t.Errorf("entry %s: storage class %q, want STANDARD", got.Key, got.StorageClass)
		}
	}
}
