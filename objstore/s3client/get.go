package s3client

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cairnfs/cairn/objstore"
)

// GetObject opens a version of key. The returned Body streams from the
// connection: it stays valid while ctx does, and the caller closes it.
// The stored checksum is reported (ChecksumMode ENABLED), and the SDK
// verifies the body against a full-object one as it is read.
func (s *Store) GetObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (*objstore.Object, error) {
	o := readOp("GetObject", bucket, key, &opts)
	if err := s.checkObject(o); err != nil {
		return nil, err
	}
	part, err := optPartNumber(opts.PartNumber)
	if err != nil {
		return nil, o.wrap(err)
	}
	in := &s3.GetObjectInput{
		Bucket:            aws.String(bucket),
		Key:               aws.String(key),
		VersionId:         requestVersion(opts.VersionID),
		PartNumber:        part,
		Range:             rangeHeader(opts.Range),
		IfMatch:           optString(quote(opts.IfMatch)),
		IfNoneMatch:       optString(quote(opts.IfNoneMatch)),
		IfModifiedSince:   optTime(opts.IfModifiedSince),
		IfUnmodifiedSince: optTime(opts.IfUnmodifiedSince),
		ChecksumMode:      types.ChecksumModeEnabled,
	}
	customerKeyOf(opts.SSECustomerKey).get(in)
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		return nil, s.readErr(ctx, o, err)
	}
	obj, err := s.objectOf(ctx, bucket, key, out.ResultMetadata)
	if err != nil {
		out.Body.Close()
		return nil, o.wrap(err)
	}
	obj.Body = out.Body
	return obj, nil
}

// HeadObject reports a version of key without its body.
func (s *Store) HeadObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (objstore.ObjectInfo, error) {
	o := readOp("HeadObject", bucket, key, &opts)
	if err := s.checkObject(o); err != nil {
		return objstore.ObjectInfo{}, err
	}
	part, err := optPartNumber(opts.PartNumber)
	if err != nil {
		return objstore.ObjectInfo{}, o.wrap(err)
	}
	in := &s3.HeadObjectInput{
		Bucket:            aws.String(bucket),
		Key:               aws.String(key),
		VersionId:         requestVersion(opts.VersionID),
		PartNumber:        part,
		Range:             rangeHeader(opts.Range),
		IfMatch:           optString(quote(opts.IfMatch)),
		IfNoneMatch:       optString(quote(opts.IfNoneMatch)),
		IfModifiedSince:   optTime(opts.IfModifiedSince),
		IfUnmodifiedSince: optTime(opts.IfUnmodifiedSince),
		ChecksumMode:      types.ChecksumModeEnabled,
	}
	customerKeyOf(opts.SSECustomerKey).head(in)
	out, err := s.client.HeadObject(ctx, in)
	if err != nil {
		return objstore.ObjectInfo{}, s.readErr(ctx, o, err)
	}
	obj, err := s.objectOf(ctx, bucket, key, out.ResultMetadata)
	if err != nil {
		return objstore.ObjectInfo{}, o.wrap(err)
	}
	return obj.Info, nil
}

// readOp names a read for its errors: a code-less 404 (HEAD) means the
// version or key is missing, a code-less 416 with a part number means
// that part is.
func readOp(name, bucket, key string, opts *objstore.GetOptions) op {
	o := op{name: name, bucket: bucket, key: key, notFound: objstore.ErrNoSuchKey}
	if opts.VersionID != "" {
		o.notFound = objstore.ErrNoSuchVersion
	}
	if opts.PartNumber > 0 {
		o.badRange = objstore.ErrInvalidPartNumber
	}
	return o
}

// readErr maps a failed read. A HEAD 404 names no code, so when it is not
// a delete marker a HeadBucket tells a missing key from a missing bucket.
func (s *Store) readErr(ctx context.Context, o op, err error) error {
	mapped := o.wrap(err)
	var apiErr smithy.APIError
	var dm *objstore.DeleteMarkerError
	status, _ := responseOf(err)
	if status != http.StatusNotFound || !errors.As(err, &apiErr) || apiErr.ErrorCode() != "NotFound" || errors.As(mapped, &dm) {
		return mapped
	}
	if _, herr := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(o.bucket)}); herr != nil {
		if hs, _ := responseOf(herr); hs == http.StatusNotFound {
			return fmt.Errorf("s3 %s %s: %w", o.name, o.target(), objstore.ErrNoSuchBucket)
		}
	}
	return mapped
}

// rangeHeader formats a byte range for the Range header.
func rangeHeader(r *objstore.Range) *string {
	if r == nil {
		return nil
	}
	return aws.String(r.String())
}

// objectOf reads an object's description from the headers of a GET or
// HEAD response, and which of its bytes the response holds.
func (s *Store) objectOf(ctx context.Context, bucket, key string, md middleware.Metadata) (*objstore.Object, error) {
	resp, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok || resp == nil {
		return nil, fmt.Errorf("no HTTP response in the SDK's result")
	}
	h := resp.Header
	info, err := infoFromHeaders(bucket, key, h)
	if err != nil {
		return nil, err
	}
	obj := &objstore.Object{Info: info}
	size, err := contentLength(resp.Response)
	if err != nil {
		return nil, err
	}
	obj.Length, obj.Info.Size = size, size
	if cr := h.Get("Content-Range"); cr != "" {
		if obj.Offset, obj.Length, obj.Info.Size, err = contentRange(cr); err != nil {
			return nil, err
		}
		obj.Ranged = true
	}
	obj.Ranged = obj.Ranged || resp.StatusCode == http.StatusPartialContent
	if obj.Info.Tags, err = s.tagsOf(ctx, bucket, key, h); err != nil {
		return nil, err
	}
	return obj, nil
}

// tagsOf reads the tags of the version a response named. The headers only
// count them (x-amz-tagging-count), so when there are some,
// GetObjectTagging reads them. A credential that may read objects but
// not their tags (AccessDenied) gets the object without them.
func (s *Store) tagsOf(ctx context.Context, bucket, key string, h http.Header) (objstore.Tags, error) {
	if tagCount(h) == 0 {
		return nil, nil
	}
	tags, _, err := s.GetObjectTagging(ctx, bucket, key, h.Get("x-amz-version-id"))
	switch {
	case errors.Is(err, objstore.ErrAccessDenied):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("read tags: %w", err)
	}
	return tags, nil
}
