package storetest

import (
	"slices"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// maxPage is the page size a listing of limit entries returns at most.
func maxPage(limit int) int {
	if limit <= 0 || limit > objstore.MaxListKeys {
		return objstore.MaxListKeys
	}
	return limit
}

// list returns one page of ListObjects, failing the test on error.
func (e *env) list(b string, opts objstore.ListOptions) objstore.ListResult {
	e.t.Helper()
	res, err := e.s.ListObjects(e.ctx, b, opts)
	mustOK(e.t, err, "list %s %+v", b, opts)
	return res
}

// listAll walks every page of a listing and returns the objects' keys and
// the common prefixes. It checks that each page holds at most MaxKeys
// entries (objects and prefixes together), that a truncated page is full
// and carries a token, and that the entries of all pages together are in
// strictly ascending order: nothing listed twice.
func (e *env) listAll(b string, opts objstore.ListOptions) (keys, prefixes []string) {
	e.t.Helper()
	limit := maxPage(opts.MaxKeys)
	var last string
	first := true
	for page := 0; ; page++ {
		if page > 100000 {
			e.t.Fatalf("list %s: listing never ends", b)
		}
		res := e.list(b, opts)
		entries := pageEntries(res)
		if len(entries) > limit {
			e.t.Fatalf("list %s page %d: %d entries, MaxKeys %d", b, page, len(entries), limit)
		}
		for _, k := range entries {
			if !first && k <= last {
				e.t.Fatalf("list %s page %d: %q listed after %q (out of order or twice)", b, page, k, last)
			}
			last, first = k, false
		}
		keys = append(keys, keysOf(res.Objects)...)
		prefixes = append(prefixes, res.CommonPrefixes...)
		if !res.IsTruncated {
			return keys, prefixes
		}
		if len(entries) != limit {
			e.t.Fatalf("list %s page %d: truncated page of %d entries, MaxKeys %d", b, page, len(entries), limit)
		}
		if res.NextContinuationToken == "" {
			e.t.Fatalf("list %s page %d: truncated without a continuation token", b, page)
		}
		opts.ContinuationToken = res.NextContinuationToken
	}
}

// pageEntries merges a page's keys and prefixes in byte order.
func pageEntries(res objstore.ListResult) []string {
	entries := append(keysOf(res.Objects), res.CommonPrefixes...)
	slices.Sort(entries)
	return entries
}

// modelList is what ListObjects must answer for keys: the keys after
// startAfter under prefix, those holding delimiter after the prefix rolled
// up into common prefixes.
func modelList(keys []string, prefix, delimiter, startAfter string) (objects, prefixes []string) {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	for _, k := range sorted {
		if !strings.HasPrefix(k, prefix) || k <= startAfter {
			continue
		}
		if delimiter != "" {
			if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
				p := k[:len(prefix)+i+len(delimiter)]
				// A marker that is a common prefix (ListObjects v1's
				// NextMarker) resumes past it.
				if p == startAfter {
					continue
				}
				if len(prefixes) == 0 || prefixes[len(prefixes)-1] != p {
					prefixes = append(prefixes, p)
				}
				continue
			}
		}
		objects = append(objects, k)
	}
	return objects, prefixes
}

// versionRef names one entry of a version listing.
type versionRef struct {
	Key, VersionID string
	DeleteMarker   bool
	IsLatest       bool
}

func refsOf(vs []objstore.ObjectInfo) []versionRef {
	refs := make([]versionRef, len(vs))
	for i, v := range vs {
		refs[i] = versionRef{v.Key, v.VersionID, v.DeleteMarker, v.IsLatest}
	}
	return refs
}

// versions returns one page of ListObjectVersions, failing the test on error.
func (e *env) versions(b string, opts objstore.ListVersionsOptions) objstore.ListVersionsResult {
	e.t.Helper()
	res, err := e.s.ListObjectVersions(e.ctx, b, opts)
	mustOK(e.t, err, "list versions %s %+v", b, opts)
	return res
}

// versionsAll walks every page of a version listing, checking that each
// page holds at most MaxKeys entries, that a truncated page is full and
// names the next markers, and that no entry comes twice.
func (e *env) versionsAll(b string, opts objstore.ListVersionsOptions) ([]objstore.ObjectInfo, []string) {
	e.t.Helper()
	limit := maxPage(opts.MaxKeys)
	var all []objstore.ObjectInfo
	var prefixes []string
	seen := map[versionRef]bool{}
	for page := 0; ; page++ {
		if page > 100000 {
			e.t.Fatalf("list versions %s: listing never ends", b)
		}
		res := e.versions(b, opts)
		n := len(res.Versions) + len(res.CommonPrefixes)
		if n > limit {
			e.t.Fatalf("list versions %s page %d: %d entries, MaxKeys %d", b, page, n, limit)
		}
		for _, r := range refsOf(res.Versions) {
			r.IsLatest = false
			if seen[r] {
				e.t.Fatalf("list versions %s page %d: %+v listed twice", b, page, r)
			}
			seen[r] = true
		}
		all = append(all, res.Versions...)
		prefixes = append(prefixes, res.CommonPrefixes...)
		if !res.IsTruncated {
			return all, prefixes
		}
		if n != limit {
			e.t.Fatalf("list versions %s page %d: truncated page of %d entries, MaxKeys %d", b, page, n, limit)
		}
		if res.NextKeyMarker == "" {
			e.t.Fatalf("list versions %s page %d: truncated without NextKeyMarker", b, page)
		}
		opts.KeyMarker, opts.VersionIDMarker = res.NextKeyMarker, res.NextVersionIDMarker
	}
}

// allVersions lists every version and delete marker of a bucket.
func (e *env) allVersions(b string) []objstore.ObjectInfo {
	e.t.Helper()
	vs, _ := e.versionsAll(b, objstore.ListVersionsOptions{})
	return vs
}
