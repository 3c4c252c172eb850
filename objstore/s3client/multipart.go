package s3client

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// CreateMultipartUpload starts an upload whose object will carry opts'
// metadata, tags, storage class and checksum algorithm. On AWS, an upload
// with a checksum algorithm needs that checksum on every part.
func (s *Store) CreateMultipartUpload(ctx context.Context, bucket, key string, opts objstore.PutOptions) (string, error) {
	o := op{name: "CreateMultipartUpload", bucket: bucket, key: key, notFound: objstore.ErrNoSuchBucket}
	if err := s.checkObject(o); err != nil {
		return "", err
	}
	if err := checkChecksum(opts.Checksum); err != nil {
		return "", o.wrap(err)
	}
	m := &opts.ObjectMeta
	in := &s3.CreateMultipartUploadInput{
		Bucket:             aws.String(bucket),
		Key:                aws.String(key),
		ContentType:        optString(m.ContentType),
		ContentEncoding:    optString(m.ContentEncoding),
		ContentDisposition: optString(m.ContentDisposition),
		ContentLanguage:    optString(m.ContentLanguage),
		CacheControl:       optString(m.CacheControl),
		Metadata:           m.UserMetadata,
		Tagging:            tagHeader(m.Tags),
		StorageClass:       types.StorageClass(m.StorageClass),
	}
	encryptionRequest(opts.Encryption).create(in)
	lockRequestOf(opts.Lock).create(in)
	if c := opts.Checksum; c != nil {
		in.ChecksumAlgorithm = types.ChecksumAlgorithm(c.Algorithm)
		in.ChecksumType = types.ChecksumType(c.Type)
	}
	out, err := s.client.CreateMultipartUpload(ctx, in, callOptions(false, m.Expires)...)
	if err != nil {
		return "", o.wrap(err)
	}
	return aws.ToString(out.UploadId), nil
}

// UploadPart stores one part. Its body streams like PutObject's.
func (s *Store) UploadPart(ctx context.Context, bucket, key, uploadID string, partNumber int, body io.Reader, opts objstore.PartOptions) (objstore.PartInfo, error) {
	o := op{name: "UploadPart", bucket: bucket, key: key, notFound: objstore.ErrNoSuchUpload}
	if err := s.checkObject(o); err != nil {
		return objstore.PartInfo{}, err
	}
	if err := checkChecksum(opts.Checksum); err != nil {
		return objstore.PartInfo{}, o.wrap(err)
	}
	num, err := checkPart(partNumber)
	if err != nil {
		return objstore.PartInfo{}, o.wrap(err)
	}
	p, err := s.payloadFor(body, opts.Size, objstore.MaxPartSize, opts.Checksum)
	if err != nil {
		return objstore.PartInfo{}, o.wrap(err)
	}
	defer p.release()
	alg, sums := checksumRequest(opts.Checksum)
	in := &s3.UploadPartInput{
		Bucket:            aws.String(bucket),
		Key:               aws.String(key),
		UploadId:          aws.String(uploadID),
		PartNumber:        num,
		Body:              p.body,
		ContentLength:     aws.Int64(p.size),
		ContentMD5:        optString(opts.ContentMD5),
		ChecksumAlgorithm: alg,
		ChecksumCRC32:     sums.CRC32,
		ChecksumCRC32C:    sums.CRC32C,
		ChecksumCRC64NVME: sums.CRC64NVME,
		ChecksumSHA1:      sums.SHA1,
		ChecksumSHA256:    sums.SHA256,
	}
	customerKeyOf(opts.SSECustomerKey).part(in)
	out, err := s.client.UploadPart(ctx, in, callOptions(!p.seekable || s.unsigned, "")...)
	if err != nil {
		return objstore.PartInfo{}, o.wrap(p.cause(err))
	}
	return objstore.PartInfo{
		PartNumber:   partNumber,
		ETag:         unquote(out.ETag),
		Size:         p.size,
		LastModified: serverTime(out.ResultMetadata),
		Checksum: checksumFields{
			CRC32: out.ChecksumCRC32, CRC32C: out.ChecksumCRC32C, CRC64NVME: out.ChecksumCRC64NVME,
			SHA1: out.ChecksumSHA1, SHA256: out.ChecksumSHA256,
		}.checksum(),
	}, nil
}

// CompleteMultipartUpload assembles the listed parts into the new current
// version of key, then reads its full description back with a HEAD.
func (s *Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletedPart, opts objstore.CompleteOptions) (objstore.ObjectInfo, error) {
	o := op{name: "CompleteMultipartUpload", bucket: bucket, key: key, notFound: objstore.ErrNoSuchUpload}
	if err := s.checkObject(o); err != nil {
		return objstore.ObjectInfo{}, err
	}
	completed, err := s.completedParts(ctx, bucket, key, uploadID, parts)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	out, err := s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(bucket),
		Key:             aws.String(key),
		UploadId:        aws.String(uploadID),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed},
		IfMatch:         optString(quote(opts.IfMatch)),
		IfNoneMatch:     optString(quote(opts.IfNoneMatch)),
	})
	if err != nil {
		return objstore.ObjectInfo{}, o.wrap(err)
	}
	info := objstore.ObjectInfo{
		Bucket:    bucket,
		Key:       key,
		VersionID: versionOf(out.VersionId),
		IsLatest:  true,
		ETag:      unquote(out.ETag),
		Checksum: checksumFields{
			CRC32: out.ChecksumCRC32, CRC32C: out.ChecksumCRC32C, CRC64NVME: out.ChecksumCRC64NVME,
			SHA1: out.ChecksumSHA1, SHA256: out.ChecksumSHA256, Type: out.ChecksumType,
		}.checksum(),
		LastModified: serverTime(out.ResultMetadata),
		PartsCount:   len(parts),
	}
	return s.describe(ctx, info, out.VersionId != nil), nil
}

// completedParts converts the parts of a Complete request. A part's
// checksum goes in the field of the upload's algorithm, which ListParts
// tells; it is asked only when a checksum is given.
func (s *Store) completedParts(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletedPart) ([]types.CompletedPart, error) {
	var alg objstore.ChecksumAlgorithm
	out := make([]types.CompletedPart, len(parts))
	for i, p := range parts {
		if p.PartNumber < 0 || p.PartNumber > math.MaxInt32 {
			return nil, fmt.Errorf("s3 CompleteMultipartUpload %s/%s: part number %d: %w", bucket, key, p.PartNumber, objstore.ErrInvalidPart)
		}
		out[i] = types.CompletedPart{PartNumber: aws.Int32(int32(p.PartNumber)), ETag: aws.String(quote(p.ETag))}
		if p.Checksum == "" {
			continue
		}
		if alg == "" {
			page, err := s.ListParts(ctx, bucket, key, uploadID, objstore.ListPartsOptions{MaxParts: 1})
			if err != nil {
				return nil, err
			}
			if alg = page.ChecksumAlgorithm; alg == "" {
				return nil, fmt.Errorf("s3 CompleteMultipartUpload %s/%s: part %d has a checksum, the upload no algorithm: %w",
					bucket, key, p.PartNumber, objstore.ErrInvalidPart)
			}
		}
		_, f := checksumRequest(&objstore.Checksum{Algorithm: alg, Value: p.Checksum})
		out[i].ChecksumCRC32, out[i].ChecksumCRC32C, out[i].ChecksumCRC64NVME = f.CRC32, f.CRC32C, f.CRC64NVME
		out[i].ChecksumSHA1, out[i].ChecksumSHA256 = f.SHA1, f.SHA256
	}
	return out, nil
}

// AbortMultipartUpload discards an upload and its parts.
func (s *Store) AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error {
	o := op{name: "AbortMultipartUpload", bucket: bucket, key: key, notFound: objstore.ErrNoSuchUpload}
	if err := s.checkObject(o); err != nil {
		return err
	}
	_, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(uploadID),
	})
	return o.wrap(err)
}

// ListParts lists one page of an upload's parts.
func (s *Store) ListParts(ctx context.Context, bucket, key, uploadID string, opts objstore.ListPartsOptions) (objstore.ListPartsResult, error) {
	o := op{name: "ListParts", bucket: bucket, key: key, notFound: objstore.ErrNoSuchUpload}
	if err := s.checkObject(o); err != nil {
		return objstore.ListPartsResult{}, err
	}
	in := &s3.ListPartsInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(uploadID),
		MaxParts: pageSize(opts.MaxParts),
	}
	if opts.PartNumberMarker > 0 {
		in.PartNumberMarker = aws.String(strconv.Itoa(opts.PartNumberMarker))
	}
	out, err := s.client.ListParts(ctx, in)
	if err != nil {
		return objstore.ListPartsResult{}, o.wrap(err)
	}
	res := objstore.ListPartsResult{
		IsTruncated:       aws.ToBool(out.IsTruncated),
		StorageClass:      storageClass(out.StorageClass),
		ChecksumAlgorithm: objstore.ChecksumAlgorithm(out.ChecksumAlgorithm),
	}
	if v := aws.ToString(out.NextPartNumberMarker); v != "" {
		if res.NextPartNumberMarker, err = strconv.Atoi(v); err != nil {
			return res, o.wrap(fmt.Errorf("NextPartNumberMarker %q: malformed", v))
		}
	}
	for _, p := range out.Parts {
		res.Parts = append(res.Parts, objstore.PartInfo{
			PartNumber:   int(aws.ToInt32(p.PartNumber)),
			ETag:         unquote(p.ETag),
			Size:         aws.ToInt64(p.Size),
			LastModified: aws.ToTime(p.LastModified).UTC(),
			Checksum: checksumFields{
				CRC32: p.ChecksumCRC32, CRC32C: p.ChecksumCRC32C, CRC64NVME: p.ChecksumCRC64NVME,
				SHA1: p.ChecksumSHA1, SHA256: p.ChecksumSHA256,
			}.checksum(),
		})
	}
	return res, nil
}

// ListMultipartUploads lists one page of in-progress uploads.
func (s *Store) ListMultipartUploads(ctx context.Context, bucket string, opts objstore.ListUploadsOptions) (objstore.ListUploadsResult, error) {
	o := op{name: "ListMultipartUploads", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return objstore.ListUploadsResult{}, err
	}
	out, err := s.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{
		Bucket:         aws.String(bucket),
		Prefix:         optString(opts.Prefix),
		Delimiter:      optString(opts.Delimiter),
		KeyMarker:      optString(opts.KeyMarker),
		UploadIdMarker: optString(opts.UploadIDMarker),
		MaxUploads:     pageSize(opts.MaxUploads),
		EncodingType:   types.EncodingTypeUrl,
	})
	if err != nil {
		return objstore.ListUploadsResult{}, o.wrap(err)
	}
	res, err := uploadsPage(out)
	if err != nil {
		return res, o.wrap(err)
	}
	return res, nil
}

// uploadsPage converts a ListMultipartUploads answer.
func uploadsPage(out *s3.ListMultipartUploadsOutput) (objstore.ListUploadsResult, error) {
	d := newDecoder(out.EncodingType)
	res := objstore.ListUploadsResult{
		IsTruncated:        aws.ToBool(out.IsTruncated),
		NextUploadIDMarker: aws.ToString(out.NextUploadIdMarker),
	}
	var err error
	if res.NextKeyMarker, err = d.name(out.NextKeyMarker); err != nil {
		return res, err
	}
	if res.CommonPrefixes, err = commonPrefixes(d, out.CommonPrefixes); err != nil {
		return res, err
	}
	for _, u := range out.Uploads {
		key, err := d.name(u.Key)
		if err != nil {
			return res, err
		}
		res.Uploads = append(res.Uploads, objstore.UploadInfo{
			Key:          key,
			UploadID:     aws.ToString(u.UploadId),
			Initiated:    aws.ToTime(u.Initiated).UTC(),
			StorageClass: storageClass(u.StorageClass),
		})
	}
	return res, nil
}
