package s3client

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cairnfs/cairn/objstore"
)

// DeleteObject deletes key, or one version of it. On a versioned bucket
// without a version ID, S3 adds a delete marker and reports its ID.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string, opts objstore.DeleteOptions) (objstore.DeleteResult, error) {
	o := op{name: "DeleteObject", bucket: bucket, key: key, notFound: objstore.ErrNoSuchKey}
	if err := s.checkObject(o); err != nil {
		return objstore.DeleteResult{}, err
	}
	out, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket:    aws.String(bucket),
		Key:       aws.String(key),
		VersionId: requestVersion(opts.VersionID),
	})
	if err != nil {
		return objstore.DeleteResult{}, o.wrap(err)
	}
	res := objstore.DeleteResult{VersionID: aws.ToString(out.VersionId), DeleteMarker: aws.ToBool(out.DeleteMarker)}
	switch {
	case res.VersionID != "":
	case opts.VersionID != "":
		// Some servers leave out the version they removed when it is "null".
		res.VersionID = opts.VersionID
	case res.DeleteMarker:
		// A marker without an ID is the null one of a suspended bucket.
		res.VersionID = objstore.NullVersionID
	}
	return res, nil
}
