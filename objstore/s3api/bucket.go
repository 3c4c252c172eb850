package s3api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/cairnfs/cairn/objstore"
)

// BucketTagger is implemented by stores that keep bucket tags; without it
// the bucket tagging operations answer NotImplemented.
type BucketTagger interface {
	GetBucketTagging(ctx context.Context, bucket string) (objstore.Tags, error)
	PutBucketTagging(ctx context.Context, bucket string, tags objstore.Tags) error
	DeleteBucketTagging(ctx context.Context, bucket string) error
}

func (s *Server) listBuckets(ctx context.Context, rq *request) error {
	buckets, err := s.store.ListBuckets(ctx)
	if err != nil {
		return err
	}
	res := listAllMyBucketsResult{NS: s3NS, Owner: s.owner, Buckets: []bucketItem{}}
	for _, b := range buckets {
		if !s.listsBucket(ctx, rq, b.Name) {
			continue
		}
		res.Buckets = append(res.Buckets, bucketItem{Name: b.Name, CreationDate: timeISO(b.Created), BucketRegion: b.Region})
	}
	return writeXML(rq, res)
}

func (s *Server) createBucket(ctx context.Context, rq *request) error {
	var cfg createBucketConfiguration
	if rq.r.ContentLength != 0 {
		if err := readXML(rq, &cfg); err != nil {
			return err
		}
	}
	if err := checkCannedACL(rq); err != nil {
		return err
	}
	region := cfg.LocationConstraint
	if region == "" {
		region = s.cfg.Region
	}
	if err := s.store.CreateBucket(ctx, rq.bucket, objstore.CreateBucketOptions{Region: region, ObjectLockEnabled: bucketLockRequested(rq)}); err != nil {
		return err
	}
	if err := s.recordOwner(ctx, rq); err != nil {
		return err
	}
	rq.w.Header().Set("Location", "/"+rq.bucket)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) deleteBucket(ctx context.Context, rq *request) error {
	if err := s.store.DeleteBucket(ctx, rq.bucket); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) headBucket(ctx context.Context, rq *request) error {
	b, err := s.store.HeadBucket(ctx, rq.bucket)
	if err != nil {
		return err
	}
	rq.w.Header().Set("x-amz-bucket-region", b.Region)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) getBucketLocation(ctx context.Context, rq *request) error {
	b, err := s.store.HeadBucket(ctx, rq.bucket)
	if err != nil {
		return err
	}
	region := b.Region
	if region == "us-east-1" {
		region = "" // S3 reports us-east-1 as an empty constraint
	}
	return writeXML(rq, locationConstraint{NS: s3NS, Region: region})
}

func (s *Server) getBucketVersioning(ctx context.Context, rq *request) error {
	state, err := s.store.GetBucketVersioning(ctx, rq.bucket)
	if err != nil {
		return err
	}
	return writeXML(rq, versioningConfiguration{NS: s3NS, Status: string(state), MfaDelete: s.mfaDeleteStatus(ctx, rq.bucket)})
}

func (s *Server) putBucketVersioning(ctx context.Context, rq *request) error {
	var cfg versioningConfiguration
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	state := objstore.VersioningState(cfg.Status)
	if state != objstore.VersioningEnabled && state != objstore.VersioningSuspended {
		return fmt.Errorf("versioning status %q: %w", cfg.Status, objstore.ErrIllegalVersioningConfiguration)
	}
	if err := s.putMFADelete(ctx, rq, cfg.MfaDelete); err != nil {
		return err
	}
	if err := s.store.PutBucketVersioning(ctx, rq.bucket, state); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) bucketTagger(ctx context.Context, rq *request) (BucketTagger, error) {
	var bt BucketTagger
	if e, err := s.engine("bucket tagging"); err == nil {
		bt = e
	} else if t, ok := s.store.(BucketTagger); ok {
		bt = t
	} else {
		return nil, err
	}
	_, err := s.store.HeadBucket(ctx, rq.bucket)
	return bt, err
}

func (s *Server) getBucketTagging(ctx context.Context, rq *request) error {
	bt, err := s.bucketTagger(ctx, rq)
	if err != nil {
		return err
	}
	tags, err := bt.GetBucketTagging(ctx, rq.bucket)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return fmt.Errorf("bucket %s: %w", rq.bucket, objstore.ErrNoSuchTagSet)
	}
	return writeXML(rq, toTagging(tags))
}

func (s *Server) putBucketTagging(ctx context.Context, rq *request) error {
	bt, err := s.bucketTagger(ctx, rq)
	if err != nil {
		return err
	}
	tags, err := readTagging(rq, 50)
	if err != nil {
		return err
	}
	if err := bt.PutBucketTagging(ctx, rq.bucket, tags); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deleteBucketTagging(ctx context.Context, rq *request) error {
	bt, err := s.bucketTagger(ctx, rq)
	if err != nil {
		return err
	}
	if err := bt.DeleteBucketTagging(ctx, rq.bucket); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// readTagging decodes a <Tagging> body of at most max tags.
func readTagging(rq *request, max int) (objstore.Tags, error) {
	var t tagging
	if err := readXML(rq, &t); err != nil {
		return nil, err
	}
	if len(t.TagSet) > max {
		return nil, fmt.Errorf("%d tags (at most %d): %w", len(t.TagSet), max, objstore.ErrInvalidTag)
	}
	tags := objstore.Tags{}
	for _, tg := range t.TagSet {
		if _, dup := tags[tg.Key]; dup {
			return nil, fmt.Errorf("tag key %q given twice: %w", tg.Key, objstore.ErrInvalidTag)
		}
		tags[tg.Key] = tg.Value
	}
	return tags, nil
}

// toTagging renders a tag set in key order.
func toTagging(tags objstore.Tags) tagging {
	t := tagging{NS: s3NS, TagSet: []tag{}}
	for k, v := range tags {
		t.TagSet = append(t.TagSet, tag{Key: k, Value: v})
	}
	sort.Slice(t.TagSet, func(i, j int) bool { return t.TagSet[i].Key < t.TagSet[j].Key })
	return t
}

// errAccessControlListNotSupported is S3's answer to ACL changes on buckets
// whose ACLs are disabled (BucketOwnerEnforced), as every cairn bucket is.
var errAccessControlListNotSupported = &objstore.Error{Code: "AccessControlListNotSupported", Status: http.StatusBadRequest, Message: "The bucket does not allow ACLs"}

// checkCannedACL accepts the canned ACLs that mean what a bucket with ACLs
// disabled does anyway (owner-only access) and refuses every other ACL.
func checkCannedACL(rq *request) error {
	h := rq.r.Header
	switch acl := h.Get("x-amz-acl"); acl {
	case "", "private", "bucket-owner-full-control":
	default:
		return fmt.Errorf("x-amz-acl %q: %w", acl, errAccessControlListNotSupported)
	}
	for _, g := range []string{"x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"} {
		if h.Get(g) != "" {
			return fmt.Errorf("%s: %w", g, errAccessControlListNotSupported)
		}
	}
	return nil
}

// getACL answers GetBucketAcl / GetObjectAcl as S3 does with ACLs disabled:
// the owner has FULL_CONTROL, nobody else has anything.
func (s *Server) getACL(ctx context.Context, rq *request) error {
	var err error
	if rq.key == "" {
		_, err = s.store.HeadBucket(ctx, rq.bucket)
	} else {
		_, err = s.store.HeadObject(ctx, rq.bucket, rq.key, objstore.GetOptions{VersionID: rq.query.Get("versionId")})
	}
	if err != nil {
		return err
	}
	return writeXML(rq, accessControlPolicy{
		NS:    s3NS,
		Owner: s.owner,
		Grants: []grant{{
			Grantee:    grantee{XMLNSXSI: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: s.owner.ID, DisplayName: s.owner.DisplayName},
			Permission: "FULL_CONTROL",
		}},
	})
}

// putACL refuses every ACL change but the owner-only ones.
func (s *Server) putACL(ctx context.Context, rq *request) error {
	if err := checkCannedACL(rq); err != nil {
		return err
	}
	if rq.r.ContentLength > 0 {
		return fmt.Errorf("ACL body: %w", errAccessControlListNotSupported)
	}
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil && !errors.Is(err, objstore.ErrNoSuchKey) {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}
