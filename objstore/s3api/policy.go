package s3api

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/policy"
)

// maxPolicySize is S3's bound on a bucket policy.
const maxPolicySize = 20 << 10

// errNoSuchBucketPolicy answers reads of a policy the bucket does not have.
var errNoSuchBucketPolicy = &objstore.Error{Code: "NoSuchBucketPolicy", Status: http.StatusNotFound, Message: "The bucket policy does not exist"}

// malformedPolicy is S3's MalformedPolicy carrying what is wrong.
func malformedPolicy(msg string) error {
	return &objstore.Error{Code: "MalformedPolicy", Status: http.StatusBadRequest, Message: msg}
}

// putBucketPolicy serves PutBucketPolicy: the document must parse, name
// only the bucket's resources, and not be public where a public access
// block says BlockPublicPolicy.
func (s *Server) putBucketPolicy(ctx context.Context, rq *request) error {
	e, err := s.engine("PutBucketPolicy")
	if err != nil {
		return err
	}
	doc, err := io.ReadAll(io.LimitReader(rq.body, maxPolicySize+1))
	if err != nil {
		return fmt.Errorf("read policy: %w", err)
	}
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	if len(doc) > maxPolicySize {
		return malformedPolicy("Policies must be less than 20 KB")
	}
	p, err := policy.ParseBucket(doc, rq.bucket)
	var pe *policy.Error
	if errors.As(err, &pe) {
		return malformedPolicy(pe.Msg)
	}
	if err != nil {
		return err
	}
	if p.IsPublic() {
		b, err := s.bucketBlock(ctx, e, rq.bucket)
		if err != nil {
			return err
		}
		if b.Or(s.serverBlock()).BlockPublicPolicy {
			return &objstore.Error{Code: "AccessDenied", Status: http.StatusForbidden,
				Message: "Access Denied: the policy grants public access and the public access block of the bucket forbids it (BlockPublicPolicy)"}
		}
	}
	if err := e.PutBucketConfig(ctx, rq.bucket, configPolicy, doc); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// storedPolicy returns the bucket's policy document.
func (s *Server) storedPolicy(ctx context.Context, rq *request, what string) ([]byte, error) {
	e, err := s.engine(what)
	if err != nil {
		return nil, err
	}
	doc, ok, err := e.GetBucketConfig(ctx, rq.bucket, configPolicy)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("bucket %s: %w", rq.bucket, errNoSuchBucketPolicy)
	}
	return doc, nil
}

// getBucketPolicy serves GetBucketPolicy: the document as it was put.
func (s *Server) getBucketPolicy(ctx context.Context, rq *request) error {
	doc, err := s.storedPolicy(ctx, rq, "GetBucketPolicy")
	if err != nil {
		return err
	}
	rq.w.Header().Set("Content-Type", "application/json")
	rq.w.WriteHeader(http.StatusOK)
	_, err = rq.w.Write(doc)
	return err
}

// deleteBucketPolicy serves DeleteBucketPolicy.
func (s *Server) deleteBucketPolicy(ctx context.Context, rq *request) error {
	e, err := s.engine("DeleteBucketPolicy")
	if err != nil {
		return err
	}
	if err := e.DeleteBucketConfig(ctx, rq.bucket, configPolicy); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// policyStatus is the body of GetBucketPolicyStatus.
type policyStatus struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	NS       string   `xml:"xmlns,attr"`
	IsPublic bool     `xml:"IsPublic"`
}

// getBucketPolicyStatus serves GetBucketPolicyStatus: whether the
// policy grants public access.
func (s *Server) getBucketPolicyStatus(ctx context.Context, rq *request) error {
	doc, err := s.storedPolicy(ctx, rq, "GetBucketPolicyStatus")
	if err != nil {
		return err
	}
	p, err := policy.ParseBucket(doc, rq.bucket)
	if err != nil {
		return fmt.Errorf("stored policy of bucket %s: %v: %w", rq.bucket, err, objstore.ErrInternal)
	}
	return writeXML(rq, policyStatus{NS: s3NS, IsPublic: p.IsPublic()})
}
