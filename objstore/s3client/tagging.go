package s3client

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// GetObjectTagging returns the tag set of a version (the current one when
// versionID is empty) and the version's ID.
func (s *Store) GetObjectTagging(ctx context.Context, bucket, key, versionID string) (objstore.Tags, string, error) {
	o := taggingOp("GetObjectTagging", bucket, key, versionID)
	if err := s.checkObject(o); err != nil {
		return nil, "", err
	}
	out, err := s.client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{
		Bucket: aws.String(bucket), Key: aws.String(key), VersionId: requestVersion(versionID),
	})
	if err != nil {
		return nil, "", o.wrap(err)
	}
	return fromTagSet(out.TagSet), versionOf(out.VersionId), nil
}

// PutObjectTagging replaces the tag set of a version and returns its ID.
func (s *Store) PutObjectTagging(ctx context.Context, bucket, key, versionID string, tags objstore.Tags) (string, error) {
	o := taggingOp("PutObjectTagging", bucket, key, versionID)
	if err := s.checkObject(o); err != nil {
		return "", err
	}
	out, err := s.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{
		Bucket:    aws.String(bucket),
		Key:       aws.String(key),
		VersionId: requestVersion(versionID),
		Tagging:   &types.Tagging{TagSet: tagSet(tags)},
	})
	if err != nil {
		return "", o.wrap(err)
	}
	return versionOf(out.VersionId), nil
}

// DeleteObjectTagging removes every tag of a version and returns its ID.
func (s *Store) DeleteObjectTagging(ctx context.Context, bucket, key, versionID string) (string, error) {
	o := taggingOp("DeleteObjectTagging", bucket, key, versionID)
	if err := s.checkObject(o); err != nil {
		return "", err
	}
	out, err := s.client.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{
		Bucket: aws.String(bucket), Key: aws.String(key), VersionId: requestVersion(versionID),
	})
	if err != nil {
		return "", o.wrap(err)
	}
	return versionOf(out.VersionId), nil
}

func taggingOp(name, bucket, key, versionID string) op {
	o := op{name: name, bucket: bucket, key: key, notFound: objstore.ErrNoSuchKey}
	if versionID != "" {
		o.notFound = objstore.ErrNoSuchVersion
	}
	return o
}
