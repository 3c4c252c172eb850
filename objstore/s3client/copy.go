package s3client

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// CopyObject copies a version of a source object server side. S3's answer
// names only the new ETag and time, so the new version is then read back
// with a HEAD for its full description (size, metadata, checksum).
func (s *Store) CopyObject(ctx context.Context, dstBucket, dstKey string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	o := op{name: "CopyObject", bucket: dstBucket, key: dstKey, notFound: objstore.ErrNoSuchKey}
	if err := s.checkObject(o); err != nil {
		return objstore.ObjectInfo{}, err
	}
	out, err := s.client.CopyObject(ctx, copyInput(dstBucket, dstKey, &opts), copyOptions(&opts)...)
	if err != nil {
		return objstore.ObjectInfo{}, o.wrap(err)
	}
	info := objstore.ObjectInfo{
		Bucket:    dstBucket,
		Key:       dstKey,
		VersionID: versionOf(out.VersionId),
		IsLatest:  true,
	}
	if r := out.CopyObjectResult; r != nil {
		info.ETag = unquote(r.ETag)
		info.LastModified = aws.ToTime(r.LastModified).UTC()
		info.Checksum = checksumFields{
			CRC32: r.ChecksumCRC32, CRC32C: r.ChecksumCRC32C, CRC64NVME: r.ChecksumCRC64NVME,
			SHA1: r.ChecksumSHA1, SHA256: r.ChecksumSHA256, Type: r.ChecksumType,
		}.checksum()
	}
	return s.describe(ctx, info, out.VersionId != nil), nil
}

// copyOptions sends the replacing Expires as the caller wrote it.
func copyOptions(opts *objstore.CopyOptions) []func(*s3.Options) {
	if opts.MetadataDirective != objstore.MetadataReplace {
		return nil
	}
	return callOptions(false, opts.Meta.Expires)
}

// describe completes the description of a version just written with a
// HEAD of it: by version ID when S3 gave one, else of the key as long as
// its ETag is still the one written. It keeps what it has when the HEAD
// fails.
func (s *Store) describe(ctx context.Context, info objstore.ObjectInfo, versioned bool) objstore.ObjectInfo {
	opts := objstore.GetOptions{}
	if versioned {
		opts.VersionID = info.VersionID
	} else {
		opts.IfMatch = info.ETag
	}
	full, err := s.HeadObject(ctx, info.Bucket, info.Key, opts)
	if err != nil || full.ETag != info.ETag {
		return info
	}
	if full.Checksum == nil {
		full.Checksum = info.Checksum
	}
	return full
}

// copyInput builds the CopyObject request.
func copyInput(dstBucket, dstKey string, opts *objstore.CopyOptions) *s3.CopyObjectInput {
	src := &opts.Source
	in := &s3.CopyObjectInput{
		Bucket:                      aws.String(dstBucket),
		Key:                         aws.String(dstKey),
		CopySource:                  copySource(*src),
		CopySourceIfMatch:           optString(quote(src.IfMatch)),
		CopySourceIfNoneMatch:       optString(quote(src.IfNoneMatch)),
		CopySourceIfModifiedSince:   optTime(src.IfModifiedSince),
		CopySourceIfUnmodifiedSince: optTime(src.IfUnmodifiedSince),
		IfMatch:                     optString(quote(opts.IfMatch)),
		IfNoneMatch:                 optString(quote(opts.IfNoneMatch)),
		StorageClass:                types.StorageClass(opts.Meta.StorageClass),
	}
	encryptionRequest(opts.Encryption).copy(in)
	customerKeyOf(src.SSECustomerKey).copySource(in)
	m := &opts.Meta
	if opts.MetadataDirective == objstore.MetadataReplace {
		in.MetadataDirective = types.MetadataDirectiveReplace
		in.ContentType = optString(m.ContentType)
		in.ContentEncoding = optString(m.ContentEncoding)
		in.ContentDisposition = optString(m.ContentDisposition)
		in.ContentLanguage = optString(m.ContentLanguage)
		in.CacheControl = optString(m.CacheControl)
		in.Metadata = m.UserMetadata
	}
	if opts.TaggingDirective == objstore.MetadataReplace {
		in.TaggingDirective = types.TaggingDirectiveReplace
		in.Tagging = tagHeader(m.Tags)
		if in.Tagging == nil {
			in.Tagging = aws.String("")
		}
	}
	return in
}

// UploadPartCopy stores one part copied server side from a (range of a)
// version of another object.
func (s *Store) UploadPartCopy(ctx context.Context, bucket, key, uploadID string, partNumber int, opts objstore.PartCopyOptions) (objstore.PartInfo, error) {
	o := op{name: "UploadPartCopy", bucket: bucket, key: key, notFound: objstore.ErrNoSuchUpload}
	if err := s.checkObject(o); err != nil {
		return objstore.PartInfo{}, err
	}
	num, err := checkPart(partNumber)
	if err != nil {
		return objstore.PartInfo{}, o.wrap(err)
	}
	src := &opts.Source
	in := &s3.UploadPartCopyInput{
		Bucket:                      aws.String(bucket),
		Key:                         aws.String(key),
		UploadId:                    aws.String(uploadID),
		PartNumber:                  num,
		CopySource:                  copySource(*src),
		CopySourceRange:             rangeHeader(opts.Range),
		CopySourceIfMatch:           optString(quote(src.IfMatch)),
		CopySourceIfNoneMatch:       optString(quote(src.IfNoneMatch)),
		CopySourceIfModifiedSince:   optTime(src.IfModifiedSince),
		CopySourceIfUnmodifiedSince: optTime(src.IfUnmodifiedSince),
	}
	customerKeyOf(src.SSECustomerKey).partCopySource(in)
	customerKeyOf(opts.SSECustomerKey).partCopy(in)
	out, err := s.client.UploadPartCopy(ctx, in)
	if err != nil {
		return objstore.PartInfo{}, o.wrap(err)
	}
	part := objstore.PartInfo{PartNumber: partNumber}
	if r := out.CopyPartResult; r != nil {
		part.ETag = unquote(r.ETag)
		part.LastModified = aws.ToTime(r.LastModified).UTC()
		part.Checksum = checksumFields{
			CRC32: r.ChecksumCRC32, CRC32C: r.ChecksumCRC32C, CRC64NVME: r.ChecksumCRC64NVME,
			SHA1: r.ChecksumSHA1, SHA256: r.ChecksumSHA256,
		}.checksum()
	}
	part.Size, err = s.copiedSize(ctx, opts, aws.ToString(out.CopySourceVersionId))
	if err != nil {
		return part, o.wrap(err)
	}
	return part, nil
}

// copiedSize is the size of a copied part: the range's, or the source's.
func (s *Store) copiedSize(ctx context.Context, opts objstore.PartCopyOptions, srcVersion string) (int64, error) {
	src := opts.Source
	if srcVersion != "" {
		src.VersionID = srcVersion
	}
	if r := opts.Range; r != nil && r.SuffixLength == 0 && r.Last >= 0 {
		return r.Last - r.First + 1, nil
	}
	info, err := s.HeadObject(ctx, src.Bucket, src.Key, objstore.GetOptions{VersionID: src.VersionID})
	if err != nil {
		return 0, err
	}
	if opts.Range == nil {
		return info.Size, nil
	}
	_, n, err := opts.Range.Resolve(info.Size)
	return n, err
}
