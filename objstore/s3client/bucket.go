package s3client

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// CreateBucket creates a bucket in opts.Region, else in the client's
// region. us-east-1 is sent as no LocationConstraint, as S3 requires.
func (s *Store) CreateBucket(ctx context.Context, bucket string, opts objstore.CreateBucketOptions) error {
	o := op{name: "CreateBucket", bucket: bucket}
	if err := s.check(o.name); err != nil {
		return err
	}
	if err := objstore.ValidateBucketName(bucket); err != nil {
		return o.wrap(err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	region := opts.Region
	if region == "" {
		region = s.client.Options().Region
	}
	if region != "" && region != defaultRegion {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint(region),
		}
	}
	_, err := s.client.CreateBucket(ctx, in)
	return o.wrap(err)
}

// DeleteBucket deletes an empty bucket.
func (s *Store) DeleteBucket(ctx context.Context, bucket string) error {
	o := op{name: "DeleteBucket", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return err
	}
	_, err := s.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
	return o.wrap(err)
}

// HeadBucket reports a bucket: HeadBucket proves it exists and gives its
// region, GetBucketVersioning its state and ListBuckets its creation
// time. A credential allowed the first but not the others (AccessDenied)
// gets the bucket without them.
func (s *Store) HeadBucket(ctx context.Context, bucket string) (objstore.BucketInfo, error) {
	o := op{name: "HeadBucket", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return objstore.BucketInfo{}, err
	}
	out, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err != nil {
		return objstore.BucketInfo{}, o.wrap(err)
	}
	info := objstore.BucketInfo{Name: bucket, Region: aws.ToString(out.BucketRegion)}
	if info.Versioning, err = s.GetBucketVersioning(ctx, bucket); fatal(err) {
		return info, err
	}
	created, err := s.bucketCreated(ctx, bucket)
	if fatal(err) {
		return info, err
	}
	info.Created = created
	return info, nil
}

// fatal tells whether err is a failure other than AccessDenied.
func fatal(err error) bool {
	return err != nil && !errors.Is(err, objstore.ErrAccessDenied)
}

// bucketCreated finds a bucket's creation time in ListBuckets, asking
// only for names that start with it.
func (s *Store) bucketCreated(ctx context.Context, bucket string) (time.Time, error) {
	buckets, err := s.listBuckets(ctx, bucket)
	if err != nil {
		return time.Time{}, err
	}
	for _, b := range buckets {
		if b.Name == bucket {
			return b.Created, nil
		}
	}
	return time.Time{}, nil
}

// ListBuckets lists every bucket in name order.
func (s *Store) ListBuckets(ctx context.Context) ([]objstore.BucketInfo, error) {
	if err := s.check("ListBuckets"); err != nil {
		return nil, err
	}
	return s.listBuckets(ctx, "")
}

// listBuckets reads every page of ListBuckets for names under prefix.
func (s *Store) listBuckets(ctx context.Context, prefix string) ([]objstore.BucketInfo, error) {
	o := op{name: "ListBuckets"}
	in := &s3.ListBucketsInput{Prefix: optString(prefix)}
	var all []objstore.BucketInfo
	for {
		out, err := s.client.ListBuckets(ctx, in)
		if err != nil {
			return nil, o.wrap(err)
		}
		for _, b := range out.Buckets {
			all = append(all, objstore.BucketInfo{
				Name:    aws.ToString(b.Name),
				Created: aws.ToTime(b.CreationDate).UTC(),
				Region:  aws.ToString(b.BucketRegion),
			})
		}
		if aws.ToString(out.ContinuationToken) == "" {
			break
		}
		in.ContinuationToken = out.ContinuationToken
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all, nil
}

// GetBucketVersioning reports the bucket's versioning state.
func (s *Store) GetBucketVersioning(ctx context.Context, bucket string) (objstore.VersioningState, error) {
	o := op{name: "GetBucketVersioning", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return "", err
	}
	out, err := s.client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	if err != nil {
		return "", o.wrap(err)
	}
	return objstore.VersioningState(out.Status), nil
}

// PutBucketVersioning sets Enabled or Suspended; S3 has no way back to
// Unversioned, so asking for it fails before any request.
func (s *Store) PutBucketVersioning(ctx context.Context, bucket string, state objstore.VersioningState) error {
	o := op{name: "PutBucketVersioning", bucket: bucket, notFound: objstore.ErrNoSuchBucket}
	if err := s.check(o.name); err != nil {
		return err
	}
	if state != objstore.VersioningEnabled && state != objstore.VersioningSuspended {
		return o.wrap(fmt.Errorf("versioning state %q: %w", state, objstore.ErrIllegalVersioningConfiguration))
	}
	_, err := s.client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket:                  aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatus(state)},
	})
	return o.wrap(err)
}
