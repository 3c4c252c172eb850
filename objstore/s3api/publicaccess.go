package s3api

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/iam"
)

// errNoSuchPublicAccessBlock answers reads of a public access block the
// bucket does not have.
var errNoSuchPublicAccessBlock = &objstore.Error{Code: "NoSuchPublicAccessBlockConfiguration", Status: http.StatusNotFound, Message: "The public access block configuration was not found"}

// publicAccessBlockConfiguration is the XML form of a public access block.
type publicAccessBlockConfiguration struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration"`
	NS                    string   `xml:"xmlns,attr,omitempty"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

// putPublicAccessBlock serves PutPublicAccessBlock.
func (s *Server) putPublicAccessBlock(ctx context.Context, rq *request) error {
	e, err := s.engine("PutPublicAccessBlock")
	if err != nil {
		return err
	}
	var c publicAccessBlockConfiguration
	if err := readXML(rq, &c); err != nil {
		return err
	}
	doc, err := json.Marshal(iam.PublicAccessBlock{
		BlockPublicAcls: c.BlockPublicAcls, IgnorePublicAcls: c.IgnorePublicAcls,
		BlockPublicPolicy: c.BlockPublicPolicy, RestrictPublicBuckets: c.RestrictPublicBuckets,
	})
	if err != nil {
		return err
	}
	if err := e.PutBucketConfig(ctx, rq.bucket, configPublicAccessBlock, doc); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getPublicAccessBlock serves GetPublicAccessBlock.
func (s *Server) getPublicAccessBlock(ctx context.Context, rq *request) error {
	e, err := s.engine("GetPublicAccessBlock")
	if err != nil {
		return err
	}
	doc, ok, err := e.GetBucketConfig(ctx, rq.bucket, configPublicAccessBlock)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s: %w", rq.bucket, errNoSuchPublicAccessBlock)
	}
	var b iam.PublicAccessBlock
	if err := json.Unmarshal(doc, &b); err != nil {
		return fmt.Errorf("stored public access block of bucket %s: %v: %w", rq.bucket, err, objstore.ErrInternal)
	}
	return writeXML(rq, publicAccessBlockConfiguration{
		NS: s3NS, BlockPublicAcls: b.BlockPublicAcls, IgnorePublicAcls: b.IgnorePublicAcls,
		BlockPublicPolicy: b.BlockPublicPolicy, RestrictPublicBuckets: b.RestrictPublicBuckets,
	})
}

// deletePublicAccessBlock serves DeletePublicAccessBlock.
func (s *Server) deletePublicAccessBlock(ctx context.Context, rq *request) error {
	e, err := s.engine("DeletePublicAccessBlock")
	if err != nil {
		return err
	}
	if err := e.DeleteBucketConfig(ctx, rq.bucket, configPublicAccessBlock); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// ownershipControls is the XML form of a bucket's object ownership.
type ownershipControls struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Rules   []struct {
		ObjectOwnership string `xml:"ObjectOwnership"`
	} `xml:"Rule"`
}

// bucketOwnerEnforced is the one object ownership cairn buckets have:
// ACLs disabled, the bucket owner owns every object.
const bucketOwnerEnforced = "BucketOwnerEnforced"

// putOwnershipControls serves PutOwnershipControls: BucketOwnerEnforced
// is accepted, as it is what every bucket has; the others need ACLs.
func (s *Server) putOwnershipControls(ctx context.Context, rq *request) error {
	var c ownershipControls
	if err := readXML(rq, &c); err != nil {
		return err
	}
	if len(c.Rules) != 1 {
		return fmt.Errorf("OwnershipControls with %d rules: %w", len(c.Rules), objstore.ErrMalformedXML)
	}
	if o := c.Rules[0].ObjectOwnership; o != bucketOwnerEnforced {
		return &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest,
			Message: fmt.Sprintf("ObjectOwnership %q is not supported: buckets have ACLs disabled (BucketOwnerEnforced)", o)}
	}
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getOwnershipControls serves GetOwnershipControls: BucketOwnerEnforced.
func (s *Server) getOwnershipControls(ctx context.Context, rq *request) error {
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	c := ownershipControls{NS: s3NS}
	c.Rules = append(c.Rules, struct {
		ObjectOwnership string `xml:"ObjectOwnership"`
	}{bucketOwnerEnforced})
	return writeXML(rq, c)
}

// deleteOwnershipControls serves DeleteOwnershipControls; the bucket
// keeps BucketOwnerEnforced, the only ownership there is.
func (s *Server) deleteOwnershipControls(ctx context.Context, rq *request) error {
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}
