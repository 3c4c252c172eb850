package storetest

import (
	"bytes"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// partSize is the size of every part but the last in multipart cases: the
// smallest S3 accepts.
const partSize = objstore.MinPartSize

// createUpload starts a multipart upload, failing the test on error.
func (e *env) createUpload(b, k string, opts objstore.PutOptions) string {
	e.t.Helper()
	id, err := e.s.CreateMultipartUpload(e.ctx, b, k, opts)
	mustOK(e.t, err, "create upload %s/%s", b, k)
	if id == "" {
		e.t.Fatalf("create upload %s/%s: empty upload ID", b, k)
	}
	return id
}

// tryUploadPart uploads one part.
func (e *env) tryUploadPart(b, k, id string, n int, data []byte, opts objstore.PartOptions) (objstore.PartInfo, error) {
	opts.Size = int64(len(data))
	return e.s.UploadPart(e.ctx, b, k, id, n, bytes.NewReader(data), opts)
}

// uploadPart uploads one part and checks its ETag.
func (e *env) uploadPart(b, k, id string, n int, data []byte) objstore.PartInfo {
	e.t.Helper()
	p, err := e.tryUploadPart(b, k, id, n, data, objstore.PartOptions{})
	mustOK(e.t, err, "upload part %d of %s/%s", n, b, k)
	if p.ETag != md5hex(data) {
		e.t.Fatalf("upload part %d: ETag %q, want %q", n, p.ETag, md5hex(data))
	}
	return p
}

// completed names uploaded parts for CompleteMultipartUpload, numbered
// by their position from 1.
func completed(parts ...objstore.PartInfo) []objstore.CompletedPart {
	out := make([]objstore.CompletedPart, len(parts))
	for i, p := range parts {
		out[i] = objstore.CompletedPart{PartNumber: i + 1, ETag: p.ETag}
	}
	return out
}

// complete finishes an upload, failing the test on error.
func (e *env) complete(b, k, id string, parts []objstore.CompletedPart) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.s.CompleteMultipartUpload(e.ctx, b, k, id, parts, objstore.CompleteOptions{})
	mustOK(e.t, err, "complete upload %s/%s", b, k)
	return info
}

// multipartObject uploads parts as one object and returns its info.
func (e *env) multipartObject(b, k string, opts objstore.PutOptions, parts ...[]byte) objstore.ObjectInfo {
	e.t.Helper()
	id := e.createUpload(b, k, opts)
	infos := make([]objstore.PartInfo, len(parts))
	for i, p := range parts {
		infos[i] = e.uploadPart(b, k, id, i+1, p)
	}
	info := e.complete(b, k, id, completed(infos...))
	if want := multipartETag(parts...); info.ETag != want {
		e.t.Fatalf("complete %s/%s: ETag %q, want %q", b, k, info.ETag, want)
	}
	return info
}

// partNumbers lists the part numbers of a ListParts page.
func partNumbers(parts []objstore.PartInfo) []int {
	ns := make([]int, len(parts))
	for i, p := range parts {
		ns[i] = p.PartNumber
	}
	return ns
}

// uploadRef names one in-progress upload.
type uploadRef struct{ Key, UploadID string }

func uploadRefs(us []objstore.UploadInfo) []uploadRef {
	refs := make([]uploadRef, len(us))
	for i, u := range us {
		refs[i] = uploadRef{u.Key, u.UploadID}
	}
	return refs
}

// uploadsAll walks every page of ListMultipartUploads, checking page sizes
// and that no upload is listed twice.
func (e *env) uploadsAll(b string, opts objstore.ListUploadsOptions) ([]uploadRef, []string) {
	e.t.Helper()
	limit := maxPage(opts.MaxUploads)
	var all []uploadRef
	var prefixes []string
	seen := map[uploadRef]bool{}
	for page := 0; ; page++ {
		if page > 10000 {
			e.t.Fatalf("list uploads %s: listing never ends", b)
		}
		res, err := e.s.ListMultipartUploads(e.ctx, b, opts)
		mustOK(e.t, err, "list uploads %s %+v", b, opts)
		n := len(res.Uploads) + len(res.CommonPrefixes)
		if n > limit {
			e.t.Fatalf("list uploads page %d: %d entries, MaxUploads %d", page, n, limit)
		}
		for _, r := range uploadRefs(res.Uploads) {
			if seen[r] {
				e.t.Fatalf("list uploads page %d: %+v listed twice", page, r)
			}
			seen[r] = true
			all = append(all, r)
		}
		prefixes = append(prefixes, res.CommonPrefixes...)
		if !res.IsTruncated {
			return all, prefixes
		}
		if n != limit || res.NextKeyMarker == "" {
			e.t.Fatalf("list uploads page %d: truncated with %d entries and next key marker %q", page, n, res.NextKeyMarker)
		}
		opts.KeyMarker, opts.UploadIDMarker = res.NextKeyMarker, res.NextUploadIDMarker
	}
}

// expectUploads checks a whole upload listing.
func (e *env) expectUploads(b string, opts objstore.ListUploadsOptions, want []uploadRef, wantPrefixes []string) {
	e.t.Helper()
	got, prefixes := e.uploadsAll(b, opts)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Fatalf("uploads %+v:\n got  %v\n want %v", opts, got, want)
	}
	equalStrings(e.t, fmt.Sprintf("upload prefixes %+v", opts), prefixes, wantPrefixes)
}
