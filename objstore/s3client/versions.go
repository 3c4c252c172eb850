package s3client

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cairnfs/cairn/objstore"
)

// ListObjectVersions lists one page of versions and delete markers. The
// SDK hands them over as two lists, losing how S3 interleaved them, so the
// order is read from the response body itself (see captureBody).
func (s *Store) ListObjectVersions(ctx context.Context, bucket string, opts objstore.ListVersionsOptions) (objstore.ListVersionsResult, error) {
	o := op{name: "ListObjectVersions", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return objstore.ListVersionsResult{}, err
	}
	var raw []byte
	out, err := s.client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{
		Bucket:          aws.String(bucket),
		Prefix:          optString(opts.Prefix),
		Delimiter:       optString(opts.Delimiter),
		KeyMarker:       optString(opts.KeyMarker),
		VersionIdMarker: optString(opts.VersionIDMarker),
		MaxKeys:         pageSize(opts.MaxKeys),
		EncodingType:    types.EncodingTypeUrl,
	}, captureBody(&raw))
	if err != nil {
		return objstore.ListVersionsResult{}, o.wrap(err)
	}
	res, err := versionsPage(bucket, out, raw)
	if err != nil {
		return res, o.wrap(err)
	}
	return res, nil
}

// versionsPage converts a ListObjectVersions answer.
func versionsPage(bucket string, out *s3.ListObjectVersionsOutput, raw []byte) (objstore.ListVersionsResult, error) {
	d := newDecoder(out.EncodingType)
	res := objstore.ListVersionsResult{
		IsTruncated:         aws.ToBool(out.IsTruncated),
		NextVersionIDMarker: aws.ToString(out.NextVersionIdMarker),
	}
	var err error
	if res.NextKeyMarker, err = d.name(out.NextKeyMarker); err != nil {
		return res, err
	}
	if res.CommonPrefixes, err = commonPrefixes(d, out.CommonPrefixes); err != nil {
		return res, err
	}
	entries := make([]listedVersion, 0, len(out.Versions)+len(out.DeleteMarkers))
	for _, v := range out.Versions {
		entries = append(entries, fromVersion(bucket, v))
	}
	for _, m := range out.DeleteMarkers {
		entries = append(entries, fromDeleteMarker(bucket, m))
	}
	order(entries, raw)
	for _, e := range entries {
		if e.info.Key, err = d.name(&e.info.Key); err != nil {
			return res, err
		}
		res.Versions = append(res.Versions, e.info)
	}
	return res, nil
}

// listedVersion is a listed version or delete marker and its place in the
// response body.
type listedVersion struct {
	info objstore.ObjectInfo
	pos  int
}

func fromVersion(bucket string, v types.ObjectVersion) listedVersion {
	info := objstore.ObjectInfo{
		Bucket:       bucket,
		Key:          aws.ToString(v.Key),
		VersionID:    versionOf(v.VersionId),
		IsLatest:     aws.ToBool(v.IsLatest),
		Size:         aws.ToInt64(v.Size),
		ETag:         unquote(v.ETag),
		LastModified: aws.ToTime(v.LastModified).UTC(),
		ObjectMeta:   objstore.ObjectMeta{StorageClass: storageClass(v.StorageClass)},
	}
	info.PartsCount = partsFromETag(info.ETag)
	if len(v.ChecksumAlgorithm) > 0 {
		info.Checksum = &objstore.Checksum{
			Algorithm: objstore.ChecksumAlgorithm(v.ChecksumAlgorithm[0]),
			Type:      string(v.ChecksumType),
		}
	}
	return listedVersion{info: info, pos: -1}
}

func fromDeleteMarker(bucket string, m types.DeleteMarkerEntry) listedVersion {
	return listedVersion{info: objstore.ObjectInfo{
		Bucket:       bucket,
		Key:          aws.ToString(m.Key),
		VersionID:    versionOf(m.VersionId),
		IsLatest:     aws.ToBool(m.IsLatest),
		DeleteMarker: true,
		LastModified: aws.ToTime(m.LastModified).UTC(),
	}, pos: -1}
}

// versionOrder reads which Version and DeleteMarker elements a
// ListVersionsResult holds, in document order.
type versionOrder struct {
	Entries []struct {
		XMLName   xml.Name
		Key       string `xml:"Key"`
		VersionID string `xml:"VersionId"`
	} `xml:",any"`
}

// order sorts entries as the response body listed them. Should the body
// not tell (it always does from S3), it falls back to S3's rule: keys in
// byte order, each key's latest first, then newest first.
func order(entries []listedVersion, raw []byte) {
	var doc versionOrder
	pos := map[[2]string]int{}
	if xml.Unmarshal(raw, &doc) == nil {
		for i, e := range doc.Entries {
			if n := e.XMLName.Local; n == "Version" || n == "DeleteMarker" {
				pos[[2]string{e.Key, versionOf(&e.VersionID)}] = i
			}
		}
	}
	known := true
	for i := range entries {
		p, ok := pos[[2]string{entries[i].info.Key, entries[i].info.VersionID}]
		entries[i].pos, known = p, known && ok
	}
	if known {
		sort.Slice(entries, func(i, j int) bool { return entries[i].pos < entries[j].pos })
		return
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := &entries[i].info, &entries[j].info
		switch {
		case a.Key != b.Key:
			return a.Key < b.Key
		case a.IsLatest != b.IsLatest:
			return a.IsLatest
		}
		return a.LastModified.After(b.LastModified)
	})
}

// maxCapturedBody bounds a captured listing (1,000 entries of 1 KiB keys
// fit many times over).
const maxCapturedBody = 64 << 20

// captureBody is a per-call SDK option that keeps a copy of a successful
// response's body in *dst, leaving the SDK its own copy to decode.
func captureBody(dst *[]byte) func(*s3.Options) {
	return func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Deserialize.Add(&bodyCapture{dst: dst}, middleware.After)
		})
	}
}

type bodyCapture struct{ dst *[]byte }

func (*bodyCapture) ID() string { return "cairnCaptureResponseBody" }

func (c *bodyCapture) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.StatusCode/100 != 2 || resp.Body == nil {
		return out, md, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCapturedBody+1))
	resp.Body.Close()
	if err == nil && len(data) > maxCapturedBody {
		err = fmt.Errorf("over %d bytes", maxCapturedBody)
	}
	if err != nil {
		return out, md, fmt.Errorf("read response body: %w", err)
	}
	*c.dst = data
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return out, md, nil
}
