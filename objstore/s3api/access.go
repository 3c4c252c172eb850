package s3api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/cairnfs/cairn/objstore/policy"
)

// The names of the bucket configuration documents of access control.
const (
	configPolicy            = "policy"
	configPublicAccessBlock = "publicAccessBlock"
	configOwner             = "owner"
)

// bucketAccess is what decides access to a bucket besides the requester.
type bucketAccess struct {
	// owner is the account that owns the bucket.
	owner string
	// policy is the bucket policy; nil when it has none.
	policy *policy.Policy
	// public tells that the policy grants public access.
	public bool
	// block is the bucket's public access block with the server's.
	block iam.PublicAccessBlock
}

// accessConfigs are the bucket configurations access control reads.
var accessConfigs = []string{configOwner, configPolicy, configPublicAccessBlock}

// requestAccess is bucketAccess read once per request: the checks of one
// request (its action, a copy's source, governance bypass, each key of a
// DeleteObjects, public ACLs) share it.
func (s *Server) requestAccess(ctx context.Context, rq *request, bucket string) (*bucketAccess, error) {
	if ba, ok := rq.access[bucket]; ok {
		return ba, nil
	}
	ba, err := s.bucketAccess(ctx, bucket)
	if err != nil {
		return nil, err
	}
	if rq.access == nil {
		rq.access = map[string]*bucketAccess{}
	}
	rq.access[bucket] = ba
	return ba, nil
}

// bucketAccess reads a bucket's owner, policy and public access block,
// in one read of its configurations; the policy is parsed once per
// content (see policyCache). A bucket that does not exist has none of
// them: its owner is the root's account and the handler answers
// NoSuchBucket to whom may ask.
func (s *Server) bucketAccess(ctx context.Context, bucket string) (*bucketAccess, error) {
	ba := &bucketAccess{owner: s.rootAccount(), block: s.serverBlock()}
	if bucket == "" {
		return ba, nil
	}
	e, ok := s.accessEngine()
	if !ok {
		return ba, nil
	}
	docs, err := bucketConfigs(ctx, e, bucket, accessConfigs...)
	if err != nil {
		return nil, err
	}
	if doc, ok := docs[configOwner]; ok {
		ba.owner = string(doc)
	}
	if doc, ok := docs[configPolicy]; ok {
		if ba.policy, ba.public, err = s.policies.parse(bucket, doc); err != nil {
			return nil, err
		}
	}
	if doc, ok := docs[configPublicAccessBlock]; ok {
		b, err := parseBlock(bucket, doc)
		if err != nil {
			return nil, err
		}
		ba.block = ba.block.Or(b)
	}
	return ba, nil
}

// bucketBlock reads the bucket's own public access block.
func (s *Server) bucketBlock(ctx context.Context, e Engine, bucket string) (iam.PublicAccessBlock, error) {
	doc, ok, err := bucketConfig(ctx, e, bucket, configPublicAccessBlock)
	if err != nil || !ok {
		return iam.PublicAccessBlock{}, err
	}
	return parseBlock(bucket, doc)
}

// parseBlock reads a stored public access block.
func parseBlock(bucket string, doc []byte) (iam.PublicAccessBlock, error) {
	var b iam.PublicAccessBlock
	if err := json.Unmarshal(doc, &b); err != nil {
		return b, fmt.Errorf("stored public access block of bucket %s: %v: %w", bucket, err, objstore.ErrInternal)
	}
	return b, nil
}

// configsReader is an Engine that reads several configurations of a
// bucket at once (disk.Store does).
type configsReader interface {
	GetBucketConfigs(ctx context.Context, bucket string, names ...string) (map[string][]byte, error)
}

// bucketConfigs reads the configurations named that a bucket has, by
// name: in one read when the engine can. A bucket that does not exist
// has none.
func bucketConfigs(ctx context.Context, e Engine, bucket string, names ...string) (map[string][]byte, error) {
	if cr, ok := e.(configsReader); ok {
		docs, err := cr.GetBucketConfigs(ctx, bucket, names...)
		if errors.Is(err, objstore.ErrNoSuchBucket) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read configurations of bucket %s: %w", bucket, err)
		}
		return docs, nil
	}
	docs := make(map[string][]byte, len(names))
	for _, name := range names {
		doc, ok, err := bucketConfig(ctx, e, bucket, name)
		if err != nil {
			return nil, err
		}
		if ok {
			docs[name] = doc
		}
	}
	return docs, nil
}

// bucketConfig reads a configuration document; a bucket that does not
// exist has none.
func bucketConfig(ctx context.Context, e Engine, bucket, name string) ([]byte, bool, error) {
	doc, ok, err := e.GetBucketConfig(ctx, bucket, name)
	if errors.Is(err, objstore.ErrNoSuchBucket) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s of bucket %s: %w", name, bucket, err)
	}
	return doc, ok, nil
}

// serverBlock is the server-wide public access block.
func (s *Server) serverBlock() iam.PublicAccessBlock {
	if s.cfg.Identities == nil {
		return iam.PublicAccessBlock{}
	}
	return s.cfg.Identities.PublicAccessBlock()
}

// accessEngine is the engine keeping the bucket documents, if any.
func (s *Server) accessEngine() (Engine, bool) {
	e, err := s.engine("access control")
	return e, err == nil
}

// recordOwner notes the owner of a bucket just created by a principal of
// an account other than the root's; buckets without the note belong to
// the root's account.
func (s *Server) recordOwner(ctx context.Context, rq *request) error {
	if rq.auth == nil || rq.auth.who == nil || rq.auth.who.Anonymous || rq.auth.who.Account == s.rootAccount() {
		return nil
	}
	e, ok := s.accessEngine()
	if !ok {
		return nil
	}
	if err := e.PutBucketConfig(ctx, rq.bucket, configOwner, []byte(rq.auth.who.Account)); err != nil {
		return fmt.Errorf("record owner of bucket %s: %w", rq.bucket, err)
	}
	return nil
}

// publicACLs are the canned ACLs that grant access to others than the
// owner.
var publicACLs = map[string]bool{"public-read": true, "public-read-write": true, "authenticated-read": true}

// checkPublicACL refuses a request setting a public ACL where a public
// access block says BlockPublicAcls.
func (s *Server) checkPublicACL(ctx context.Context, rq *request, op string) error {
	switch op {
	case "PutObject", "CopyObject", "CreateMultipartUpload", "PutACL", "CreateBucket":
	default:
		return nil
	}
	if !requestsPublicACL(rq) {
		return nil
	}
	ba, err := s.requestAccess(ctx, rq, rq.bucket)
	if err != nil {
		return err
	}
	if !ba.block.BlockPublicAcls {
		return nil
	}
	return &objstore.Error{Code: "AccessDenied", Status: 403, Message: "Access Denied: the public access block of the bucket forbids public ACLs (BlockPublicAcls)"}
}

// requestsPublicACL tells whether a request sets a public ACL.
func requestsPublicACL(rq *request) bool {
	h := rq.r.Header
	if publicACLs[h.Get("x-amz-acl")] {
		return true
	}
	for _, g := range []string{"x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"} {
		v := strings.ToLower(h.Get(g))
		if strings.Contains(v, "allusers") || strings.Contains(v, "authenticatedusers") {
			return true
		}
	}
	return false
}

// listsBucket tells whether ListBuckets shows a bucket to the requester:
// the root credential sees every bucket, a user those of its account.
func (s *Server) listsBucket(ctx context.Context, rq *request, bucket string) bool {
	if rq.auth == nil || rq.auth.who == nil || rq.auth.who.root {
		return true
	}
	ba, err := s.requestAccess(ctx, rq, bucket)
	return err == nil && ba.owner == rq.auth.who.Account
}
