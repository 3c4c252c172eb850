package s3client

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// ListObjects lists one page of current versions (ListObjectsV2). Names
// travel URL-encoded (encoding-type=url), so keys XML cannot carry list
// too; the continuation token passes through untouched.
func (s *Store) ListObjects(ctx context.Context, bucket string, opts objstore.ListOptions) (objstore.ListResult, error) {
	o := op{name: "ListObjectsV2", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return objstore.ListResult{}, err
	}
	var raw []byte
	var optFns []func(*s3.Options)
	if opts.WithMetadata {
		optFns = append(optFns, listMetadataOption(&raw))
	}
	out, err := s.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket:            aws.String(bucket),
		Prefix:            optString(opts.Prefix),
		Delimiter:         optString(opts.Delimiter),
		StartAfter:        optString(opts.StartAfter),
		ContinuationToken: optString(opts.ContinuationToken),
		MaxKeys:           pageSize(opts.MaxKeys),
		EncodingType:      types.EncodingTypeUrl,
	}, optFns...)
	if err != nil {
		return objstore.ListResult{}, o.wrap(err)
	}
	d := newDecoder(out.EncodingType)
	res := objstore.ListResult{
		IsTruncated:           aws.ToBool(out.IsTruncated),
		NextContinuationToken: aws.ToString(out.NextContinuationToken),
	}
	for _, c := range out.Contents {
		info, err := listedObject(d, bucket, c)
		if err != nil {
			return res, o.wrap(err)
		}
		res.Objects = append(res.Objects, info)
	}
	if res.CommonPrefixes, err = commonPrefixes(d, out.CommonPrefixes); err != nil {
		return res, o.wrap(err)
	}
	if raw != nil {
		if err := addListedMetadata(raw, d, &res); err != nil {
			return res, o.wrap(err)
		}
	}
	return res, nil
}

// listedObject converts one entry of a ListObjectsV2 page. Listings name
// a checksum's algorithm and type but not its value.
func listedObject(d decoder, bucket string, c types.Object) (objstore.ObjectInfo, error) {
	key, err := d.name(c.Key)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	info := objstore.ObjectInfo{
		Bucket:       bucket,
		Key:          key,
		IsLatest:     true,
		Size:         aws.ToInt64(c.Size),
		ETag:         unquote(c.ETag),
		LastModified: aws.ToTime(c.LastModified).UTC(),
		ObjectMeta:   objstore.ObjectMeta{StorageClass: storageClass(c.StorageClass)},
	}
	info.PartsCount = partsFromETag(info.ETag)
	if len(c.ChecksumAlgorithm) > 0 {
		info.Checksum = &objstore.Checksum{
			Algorithm: objstore.ChecksumAlgorithm(c.ChecksumAlgorithm[0]),
			Type:      string(c.ChecksumType),
		}
	}
	return info, nil
}

// commonPrefixes decodes the CommonPrefixes of a listing.
func commonPrefixes(d decoder, cps []types.CommonPrefix) ([]string, error) {
	var out []string
	for _, cp := range cps {
		p, err := d.name(cp.Prefix)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
