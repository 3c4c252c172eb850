package storetest

import (
	"bytes"
	"slices"

	"github.com/cairnfs/cairn/objstore"
)

func multipartCases() []testCase {
	return []testCase{
		{"Assemble", testMultipartAssemble},
		{"CreateMetadataCarried", testMultipartMetadata},
		{"SingleSmallPart", testMultipartSingleSmallPart},
		{"NonContiguousParts", testMultipartNonContiguous},
		{"PartReupload", testMultipartReupload},
		{"PartBadDigest", testMultipartPartBadDigest},
		{"OutOfOrder", testMultipartOutOfOrder},
		{"InvalidPart", testMultipartInvalidPart},
		{"EntityTooSmall", testMultipartTooSmall},
		{"EmptyPartsList", testMultipartEmptyList},
		{"QuotedETags", testMultipartQuotedETags},
		{"UnknownUploadID", testMultipartUnknownUpload},
		{"PartNumberBounds", testMultipartPartNumberBounds},
		{"CompleteTwice", testMultipartCompleteTwice},
		{"Abort", testMultipartAbort},
		{"ListPartsPagination", testMultipartListParts},
		{"ListUploadsOrder", testMultipartListUploadsOrder},
		{"ListUploadsPrefixDelimiter", testMultipartListUploadsPrefix},
		{"ListUploadsMarkers", testMultipartListUploadsMarkers},
		{"ListUploadsVanish", testMultipartListUploadsVanish},
		{"UploadPartCopy", testMultipartPartCopy},
		{"UploadPartCopyVersion", testMultipartPartCopyVersion},
		{"UploadPartCopyInvalid", testMultipartPartCopyInvalid},
		{"NotListedUntilComplete", testMultipartNotListed},
		{"CompleteOntoVersioned", testMultipartVersioned},
		{"CompleteReplacesObject", testMultipartReplaces},
	}
}

func testMultipartAssemble(e *env) {
	b := e.bucket()
	parts := [][]byte{fill(partSize, 1), fill(partSize, 2), fill(1234, 3)}
	whole := bytes.Join(parts, nil)
	info := e.multipartObject(b, "mp", objstore.PutOptions{}, parts...)
	e.expectBody(b, "mp", whole)
	head := e.head(b, "mp", objstore.GetOptions{})
	if head.Size != int64(len(whole)) || head.ETag != info.ETag {
		e.t.Fatalf("head: Size %d ETag %q, want %d %q", head.Size, head.ETag, len(whole), info.ETag)
	}
	var off int64
	for i, p := range parts {
		got, obj := e.get(b, "mp", objstore.GetOptions{PartNumber: i + 1})
		if !bytes.Equal(got, p) {
			e.t.Fatalf("part %d: wrong bytes (%d bytes)", i+1, len(got))
		}
		if obj.Offset != off || obj.Length != int64(len(p)) || !obj.Ranged || obj.Info.PartsCount != len(parts) {
			e.t.Fatalf("part %d: Offset %d Length %d Ranged %v PartsCount %d, want %d %d true %d",
				i+1, obj.Offset, obj.Length, obj.Ranged, obj.Info.PartsCount, off, len(p), len(parts))
		}
		off += int64(len(p))
	}
	_, _, err := e.tryGet(b, "mp", objstore.GetOptions{PartNumber: len(parts) + 1})
	mustErr(e.t, err, objstore.ErrInvalidPartNumber)
	e.expectRange(b, "mp", whole, objstore.Range{First: partSize - 10, Last: 2*partSize + 9}, partSize-10, partSize+20)
	res := e.list(b, objstore.ListOptions{})
	if len(res.Objects) != 1 || res.Objects[0].ETag != info.ETag || res.Objects[0].Size != int64(len(whole)) {
		e.t.Fatalf("list: %+v", res.Objects)
	}
}

func testMultipartMetadata(e *env) {
	b := e.bucket()
	meta := fullMeta()
	id := e.createUpload(b, "mp", objstore.PutOptions{ObjectMeta: meta})
	p := e.uploadPart(b, "mp", id, 1, []byte("only part"))
	parts, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustOK(e.t, err, "list parts")
	if parts.StorageClass != meta.StorageClass {
		e.t.Fatalf("list parts: storage class %q, want %q", parts.StorageClass, meta.StorageClass)
	}
	e.complete(b, "mp", id, completed(p))
	e.checkStoredMeta(b, "mp", meta)
}

func testMultipartSingleSmallPart(e *env) {
	b := e.bucket()
	data := []byte("a part far below 5 MiB is fine when it is the last")
	e.multipartObject(b, "mp", objstore.PutOptions{}, data)
	e.expectBody(b, "mp", data)
	h := e.head(b, "mp", objstore.GetOptions{})
	if h.ETag != multipartETag(data) || h.Size != int64(len(data)) {
		e.t.Fatalf("head: ETag %q Size %d, want %q %d", h.ETag, h.Size, multipartETag(data), len(data))
	}
}

func testMultipartNonContiguous(e *env) {
	b := e.bucket()
	p1, p3, p7 := fill(partSize, 1), fill(partSize, 3), fill(10, 7)
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	i1 := e.uploadPart(b, "mp", id, 1, p1)
	e.uploadPart(b, "mp", id, 2, []byte("left out"))
	i3 := e.uploadPart(b, "mp", id, 3, p3)
	i7 := e.uploadPart(b, "mp", id, 7, p7)
	info := e.complete(b, "mp", id, []objstore.CompletedPart{
		{PartNumber: 1, ETag: i1.ETag}, {PartNumber: 3, ETag: i3.ETag}, {PartNumber: 7, ETag: i7.ETag},
	})
	if want := multipartETag(p1, p3, p7); info.ETag != want {
		e.t.Fatalf("ETag %q, want %q", info.ETag, want)
	}
	e.expectBody(b, "mp", bytes.Join([][]byte{p1, p3, p7}, nil))
}

func testMultipartReupload(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	old := e.uploadPart(b, "mp", id, 1, []byte("first try"))
	fresh := e.uploadPart(b, "mp", id, 1, []byte("second try, longer"))
	res, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustOK(e.t, err, "list parts")
	if len(res.Parts) != 1 || res.Parts[0].ETag != fresh.ETag || res.Parts[0].Size != int64(len("second try, longer")) {
		e.t.Fatalf("parts after a re-upload: %+v", res.Parts)
	}
	_, err = e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, completed(old), objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrInvalidPart)
	e.complete(b, "mp", id, completed(fresh))
	if got := e.getString(b, "mp"); got != "second try, longer" {
		e.t.Fatalf("object: %q", got)
	}
}

func testMultipartPartBadDigest(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	_, err := e.tryUploadPart(b, "mp", id, 1, []byte("data"), objstore.PartOptions{ContentMD5: md5b64([]byte("other"))})
	mustErr(e.t, err, objstore.ErrBadDigest)
	res, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustOK(e.t, err, "list parts")
	if len(res.Parts) != 0 {
		e.t.Fatalf("a part with a bad digest is listed: %+v", res.Parts)
	}
	p, err := e.tryUploadPart(b, "mp", id, 1, []byte("data"), objstore.PartOptions{ContentMD5: md5b64([]byte("data"))})
	mustOK(e.t, err, "upload part with the right Content-MD5")
	if p.ETag != md5hex([]byte("data")) {
		e.t.Fatalf("part ETag %q", p.ETag)
	}
}

// twoPartUpload starts an upload of a full first part and a small last part.
func (e *env) twoPartUpload(b, k string) (string, []objstore.PartInfo, [][]byte) {
	e.t.Helper()
	data := [][]byte{fill(partSize, 11), []byte("tail")}
	id := e.createUpload(b, k, objstore.PutOptions{})
	return id, []objstore.PartInfo{e.uploadPart(b, k, id, 1, data[0]), e.uploadPart(b, k, id, 2, data[1])}, data
}

func testMultipartOutOfOrder(e *env) {
	b := e.bucket()
	id, infos, data := e.twoPartUpload(b, "mp")
	parts := completed(infos...)
	reversed := []objstore.CompletedPart{parts[1], parts[0]}
	_, err := e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, reversed, objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrInvalidPartOrder)
	e.expectMissing(b, "mp")
	e.complete(b, "mp", id, parts)
	e.expectBody(b, "mp", bytes.Join(data, nil))
}

func testMultipartInvalidPart(e *env) {
	b := e.bucket()
	id, infos, data := e.twoPartUpload(b, "mp")
	parts := completed(infos...)
	wrong := slices.Clone(parts)
	wrong[1].ETag = md5hex([]byte("not the tail"))
	_, err := e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, wrong, objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrInvalidPart)
	missing := []objstore.CompletedPart{parts[0], {PartNumber: 3, ETag: md5hex([]byte("x"))}}
	_, err = e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, missing, objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrInvalidPart)
	e.expectMissing(b, "mp")
	e.complete(b, "mp", id, parts)
	e.expectBody(b, "mp", bytes.Join(data, nil))
}

func testMultipartTooSmall(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p1 := e.uploadPart(b, "mp", id, 1, fill(1<<10, 1))
	p2 := e.uploadPart(b, "mp", id, 2, fill(1<<10, 2))
	_, err := e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, completed(p1, p2), objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrEntityTooSmall)
	e.expectMissing(b, "mp")
}

func testMultipartEmptyList(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	e.uploadPart(b, "mp", id, 1, []byte("x"))
	_, err := e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, nil, objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrMalformedXML)
	e.expectMissing(b, "mp")
}

func testMultipartQuotedETags(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p := e.uploadPart(b, "mp", id, 1, []byte("quoted"))
	e.complete(b, "mp", id, []objstore.CompletedPart{{PartNumber: 1, ETag: `"` + p.ETag + `"`}})
	if got := e.getString(b, "mp"); got != "quoted" {
		e.t.Fatalf("object: %q", got)
	}
}

func testMultipartUnknownUpload(e *env) {
	b := e.bucket()
	aborted := e.createUpload(b, "mp", objstore.PutOptions{})
	mustOK(e.t, e.s.AbortMultipartUpload(e.ctx, b, "mp", aborted), "abort")
	other := e.createUpload(b, "other-key", objstore.PutOptions{})
	cases := []struct{ key, id string }{{"mp", aborted}, {"mp", "no-such-upload-id"}, {"mp", other}}
	for _, c := range cases {
		_, err := e.tryUploadPart(b, c.key, c.id, 1, []byte("x"), objstore.PartOptions{})
		mustErr(e.t, err, objstore.ErrNoSuchUpload)
		parts := []objstore.CompletedPart{{PartNumber: 1, ETag: md5hex([]byte("x"))}}
		_, err = e.s.CompleteMultipartUpload(e.ctx, b, c.key, c.id, parts, objstore.CompleteOptions{})
		mustErr(e.t, err, objstore.ErrNoSuchUpload)
		_, err = e.s.ListParts(e.ctx, b, c.key, c.id, objstore.ListPartsOptions{})
		mustErr(e.t, err, objstore.ErrNoSuchUpload)
		mustErr(e.t, e.s.AbortMultipartUpload(e.ctx, b, c.key, c.id), objstore.ErrNoSuchUpload)
	}
	if _, err := e.s.ListParts(e.ctx, b, "other-key", other, objstore.ListPartsOptions{}); err != nil {
		e.t.Fatalf("upload of another key was touched: %v", err)
	}
}

func testMultipartPartNumberBounds(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	for _, n := range []int{0, -1, objstore.MaxPartNumber + 1} {
		_, err := e.tryUploadPart(b, "mp", id, n, []byte("x"), objstore.PartOptions{})
		mustErr(e.t, err, objstore.ErrInvalidArgument)
	}
	p := e.uploadPart(b, "mp", id, objstore.MaxPartNumber, []byte("last possible"))
	e.complete(b, "mp", id, []objstore.CompletedPart{{PartNumber: objstore.MaxPartNumber, ETag: p.ETag}})
	if got := e.getString(b, "mp"); got != "last possible" {
		e.t.Fatalf("object: %q", got)
	}
}

func testMultipartCompleteTwice(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p := e.uploadPart(b, "mp", id, 1, []byte("once"))
	e.complete(b, "mp", id, completed(p))
	_, err := e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, completed(p), objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchUpload)
	_, err = e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchUpload)
	if got := e.getString(b, "mp"); got != "once" {
		e.t.Fatalf("object after a second complete: %q", got)
	}
}

func testMultipartAbort(e *env) {
	b := e.bucket()
	e.putString(b, "mp", "existing object")
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p := e.uploadPart(b, "mp", id, 1, []byte("never used"))
	mustOK(e.t, e.s.AbortMultipartUpload(e.ctx, b, "mp", id), "abort")
	_, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchUpload)
	_, err = e.tryUploadPart(b, "mp", id, 2, []byte("late"), objstore.PartOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchUpload)
	_, err = e.s.CompleteMultipartUpload(e.ctx, b, "mp", id, completed(p), objstore.CompleteOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchUpload)
	if got := e.getString(b, "mp"); got != "existing object" {
		e.t.Fatalf("object after an aborted upload: %q", got)
	}
}

func testMultipartListParts(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	want := map[int]objstore.PartInfo{}
	for _, n := range []int{3, 1, 5, 2, 4} {
		want[n] = e.uploadPart(b, "mp", id, n, fill(100*n, uint64(n)))
	}
	all, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustOK(e.t, err, "list parts")
	if got := partNumbers(all.Parts); !slices.Equal(got, []int{1, 2, 3, 4, 5}) || all.IsTruncated {
		e.t.Fatalf("parts %v truncated %v, want 1..5 complete", got, all.IsTruncated)
	}
	for _, p := range all.Parts {
		if p.ETag != want[p.PartNumber].ETag || p.Size != int64(100*p.PartNumber) || p.LastModified.IsZero() {
			e.t.Fatalf("part %d: ETag %q Size %d LastModified %v", p.PartNumber, p.ETag, p.Size, p.LastModified)
		}
	}
	pages := [][]int{{1, 2}, {3, 4}, {5}}
	opts := objstore.ListPartsOptions{MaxParts: 2}
	for i, page := range pages {
		res, err := e.s.ListParts(e.ctx, b, "mp", id, opts)
		mustOK(e.t, err, "list parts page %d", i)
		last := i == len(pages)-1
		if got := partNumbers(res.Parts); !slices.Equal(got, page) || res.IsTruncated == last {
			e.t.Fatalf("page %d: parts %v truncated %v, want %v %v", i, got, res.IsTruncated, page, !last)
		}
		if !last && res.NextPartNumberMarker != page[len(page)-1] {
			e.t.Fatalf("page %d: next marker %d, want %d", i, res.NextPartNumberMarker, page[len(page)-1])
		}
		opts.PartNumberMarker = res.NextPartNumberMarker
	}
	res, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{PartNumberMarker: 3})
	mustOK(e.t, err, "list parts after 3")
	if got := partNumbers(res.Parts); !slices.Equal(got, []int{4, 5}) {
		e.t.Fatalf("parts after marker 3: %v", got)
	}
}

// startUploads creates uploads in order and returns them.
func (e *env) startUploads(b string, keys ...string) []uploadRef {
	e.t.Helper()
	refs := make([]uploadRef, len(keys))
	for i, k := range keys {
		refs[i] = uploadRef{k, e.createUpload(b, k, objstore.PutOptions{})}
	}
	return refs
}

func testMultipartListUploadsOrder(e *env) {
	b := e.bucket()
	u := e.startUploads(b, "b", "a", "a", "c/x", "c/y", "a")
	want := []uploadRef{u[1], u[2], u[5], u[0], u[3], u[4]}
	e.expectUploads(b, objstore.ListUploadsOptions{}, want, nil)
	res, err := e.s.ListMultipartUploads(e.ctx, b, objstore.ListUploadsOptions{})
	mustOK(e.t, err, "list uploads")
	for _, up := range res.Uploads {
		if up.Initiated.IsZero() || up.StorageClass != objstore.DefaultStorageClass {
			e.t.Fatalf("upload %s: Initiated %v StorageClass %q", up.Key, up.Initiated, up.StorageClass)
		}
	}
	if !(res.Uploads[0].Initiated.Compare(res.Uploads[1].Initiated) <= 0) {
		e.t.Fatalf("uploads of key a not in initiation order: %v then %v", res.Uploads[0].Initiated, res.Uploads[1].Initiated)
	}
}

func testMultipartListUploadsPrefix(e *env) {
	b := e.bucket()
	u := e.startUploads(b, "b", "a", "c/x", "c/y", "c/d/z", "cc")
	e.expectUploads(b, objstore.ListUploadsOptions{Prefix: "c/"}, []uploadRef{u[4], u[2], u[3]}, nil)
	e.expectUploads(b, objstore.ListUploadsOptions{Delimiter: "/"}, []uploadRef{u[1], u[0], u[5]}, []string{"c/"})
	e.expectUploads(b, objstore.ListUploadsOptions{Prefix: "c/", Delimiter: "/"}, []uploadRef{u[2], u[3]}, []string{"c/d/"})
	e.expectUploads(b, objstore.ListUploadsOptions{Prefix: "zz"}, nil, nil)
}

func testMultipartListUploadsMarkers(e *env) {
	b := e.bucket()
	u := e.startUploads(b, "b", "a", "a", "c")
	all := []uploadRef{u[1], u[2], u[0], u[3]}
	e.expectUploads(b, objstore.ListUploadsOptions{KeyMarker: "a"}, all[2:], nil)
	e.expectUploads(b, objstore.ListUploadsOptions{KeyMarker: "a", UploadIDMarker: u[1].UploadID}, all[1:], nil)
	e.expectUploads(b, objstore.ListUploadsOptions{KeyMarker: "b"}, all[3:], nil)
	for _, n := range []int{1, 2, 3} {
		e.expectUploads(b, objstore.ListUploadsOptions{MaxUploads: n}, all, nil)
	}
}

func testMultipartListUploadsVanish(e *env) {
	b := e.bucket()
	u := e.startUploads(b, "done", "dropped", "open")
	p := e.uploadPart(b, "done", u[0].UploadID, 1, []byte("x"))
	e.complete(b, "done", u[0].UploadID, completed(p))
	mustOK(e.t, e.s.AbortMultipartUpload(e.ctx, b, "dropped", u[1].UploadID), "abort")
	e.expectUploads(b, objstore.ListUploadsOptions{}, []uploadRef{u[2]}, nil)
}

func testMultipartPartCopy(e *env) {
	b := e.bucket()
	src := fill(partSize+(1<<20), 21)
	tail := fill(1000, 22)
	e.put(b, "src", src)
	e.put(b, "tail", tail)
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	r := objstore.Range{First: 100, Last: 100 + partSize - 1}
	p1, err := e.s.UploadPartCopy(e.ctx, b, "mp", id, 1, objstore.PartCopyOptions{
		Source: objstore.CopySource{Bucket: b, Key: "src"}, Range: &r})
	mustOK(e.t, err, "upload part copy with a range")
	if want := md5hex(src[100 : 100+partSize]); p1.ETag != want {
		e.t.Fatalf("part 1 ETag %q, want %q", p1.ETag, want)
	}
	p2, err := e.s.UploadPartCopy(e.ctx, b, "mp", id, 2, objstore.PartCopyOptions{
		Source: objstore.CopySource{Bucket: b, Key: "tail"}})
	mustOK(e.t, err, "upload part copy of a whole object")
	if p2.ETag != md5hex(tail) {
		e.t.Fatalf("part 2 ETag %q, want %q", p2.ETag, md5hex(tail))
	}
	res, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustOK(e.t, err, "list parts")
	if len(res.Parts) != 2 || res.Parts[0].Size != partSize || res.Parts[1].Size != int64(len(tail)) {
		e.t.Fatalf("parts: %+v", res.Parts)
	}
	e.complete(b, "mp", id, completed(p1, p2))
	e.expectBody(b, "mp", append(slices.Clone(src[100:100+partSize]), tail...))
}

func testMultipartPartCopyVersion(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "src", "old source")
	e.putString(b, "src", "new source")
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p, err := e.s.UploadPartCopy(e.ctx, b, "mp", id, 1, objstore.PartCopyOptions{
		Source: objstore.CopySource{Bucket: b, Key: "src", VersionID: v1.VersionID}})
	mustOK(e.t, err, "upload part copy of version %s", v1.VersionID)
	e.complete(b, "mp", id, completed(p))
	if got := e.getString(b, "mp"); got != "old source" {
		e.t.Fatalf("object: %q, want the old source version", got)
	}
}

func testMultipartPartCopyInvalid(e *env) {
	b := e.bucket()
	e.put(b, "src", fill(1000, 1))
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	for _, r := range []objstore.Range{{First: 0, Last: 1000}, {First: 1000, Last: 1010}, {First: 500, Last: 5000}} {
		_, err := e.s.UploadPartCopy(e.ctx, b, "mp", id, 1, objstore.PartCopyOptions{
			Source: objstore.CopySource{Bucket: b, Key: "src"}, Range: &r})
		mustErr(e.t, err, objstore.ErrInvalidRange)
	}
	_, err := e.s.UploadPartCopy(e.ctx, b, "mp", id, 1, objstore.PartCopyOptions{
		Source: objstore.CopySource{Bucket: b, Key: "absent"}})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	res, err := e.s.ListParts(e.ctx, b, "mp", id, objstore.ListPartsOptions{})
	mustOK(e.t, err, "list parts")
	if len(res.Parts) != 0 {
		e.t.Fatalf("failed part copies left parts: %+v", res.Parts)
	}
}

func testMultipartNotListed(e *env) {
	b := e.bucket()
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p := e.uploadPart(b, "mp", id, 1, []byte("pending"))
	keys, _ := e.listAll(b, objstore.ListOptions{})
	equalStrings(e.t, "keys during an upload", keys, nil)
	if vs := e.allVersions(b); len(vs) != 0 {
		e.t.Fatalf("versions during an upload: %+v", refsOf(vs))
	}
	e.expectMissing(b, "mp")
	e.complete(b, "mp", id, completed(p))
	keys, _ = e.listAll(b, objstore.ListOptions{})
	equalStrings(e.t, "keys after completing", keys, []string{"mp"})
}

func testMultipartVersioned(e *env) {
	b := e.versionedBucket()
	v1 := e.putString(b, "mp", "simple first version")
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	p := e.uploadPart(b, "mp", id, 1, []byte("multipart version"))
	info := e.complete(b, "mp", id, completed(p))
	if info.VersionID == "" || info.VersionID == v1.VersionID || info.VersionID == objstore.NullVersionID {
		e.t.Fatalf("complete on a versioned bucket: version %q", info.VersionID)
	}
	e.expectVersions(b, version("mp", info.VersionID, true), version("mp", v1.VersionID, false))
	if got := e.getVersion(b, "mp", v1.VersionID); got != "simple first version" {
		e.t.Fatalf("first version: %q", got)
	}
}

func testMultipartReplaces(e *env) {
	b := e.bucket()
	e.putString(b, "mp", "old simple object")
	data := []byte("new multipart object")
	info := e.multipartObject(b, "mp", objstore.PutOptions{}, data)
	e.expectBody(b, "mp", data)
	e.expectVersions(b, version("mp", objstore.NullVersionID, true))
	if h := e.head(b, "mp", objstore.GetOptions{}); h.ETag != info.ETag {
		e.t.Fatalf("head ETag %q, want %q", h.ETag, info.ETag)
	}
}
