package s3api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/policy"
)

// target is what one authorization check is about: a bucket, or an
// object (a version of it) in the bucket.
type target struct {
	bucket, key, versionID string
}

// authorize decides whether the requester may run h on the request's
// resource, as AWS does: an explicit Deny in the bucket policy or an
// identity policy refuses; otherwise the bucket owner's root, or an
// Allow (from either policy for the owner's account, from the bucket
// policy — and the requester's own identity policy — for another
// account or an anonymous requester) lets it through.
func (s *Server) authorize(ctx context.Context, rq *request, h handlerFunc) error {
	who := s.principal(rq)
	if rq.auth == nil {
		rq.auth = &authInfo{anonymous: true}
	}
	rq.auth.who = who
	op := handlerName(h)
	if op == "DeleteObjects" {
		return nil // each key is checked by authorizeKey
	}
	t := target{bucket: rq.bucket, key: rq.key, versionID: rq.query.Get("versionId")}
	if err := s.allow(ctx, rq, who, action(op, rq), t); err != nil {
		return err
	}
	if err := s.authorizeCopySource(ctx, rq, who, op); err != nil {
		return err
	}
	if bypassGovernance(rq) {
		if err := s.allow(ctx, rq, who, "s3:BypassGovernanceRetention", t); err != nil {
			return err
		}
	}
	return s.checkPublicACL(ctx, rq, op)
}

// authorizeKey checks one key of a DeleteObjects request.
func (s *Server) authorizeKey(ctx context.Context, rq *request, key, versionID string) error {
	who := s.principal(rq)
	if rq.auth != nil && rq.auth.who != nil {
		who = rq.auth.who
	}
	act := "s3:DeleteObject"
	if versionID != "" {
		act = "s3:DeleteObjectVersion"
	}
	t := target{bucket: rq.bucket, key: key, versionID: versionID}
	if err := s.allow(ctx, rq, who, act, t); err != nil {
		return err
	}
	if bypassGovernance(rq) {
		return s.allow(ctx, rq, who, "s3:BypassGovernanceRetention", t)
	}
	return nil
}

// authorizeCopySource checks that the requester may read the source of
// a copy.
func (s *Server) authorizeCopySource(ctx context.Context, rq *request, who *principal, op string) error {
	if op != "CopyObject" && op != "UploadPartCopy" {
		return nil
	}
	src, err := parseCopySource(rq.r.Header)
	if err != nil {
		return err
	}
	act := "s3:GetObject"
	if src.VersionID != "" {
		act = "s3:GetObjectVersion"
	}
	return s.allow(ctx, rq, who, act, target{bucket: src.Bucket, key: src.Key, versionID: src.VersionID})
}

// allow decides one action on one target.
func (s *Server) allow(ctx context.Context, rq *request, who *principal, act string, t target) error {
	res := resourceARN(t.bucket, t.key)
	if act == "" {
		if who.root {
			return nil
		}
		return accessDenied(who, "this operation", res, "because it is open to the bucket owner's root only")
	}
	ba, err := s.requestAccess(ctx, rq, t.bucket)
	if err != nil {
		return err
	}
	owner := ba.owner
	if t.bucket == "" || act == "s3:CreateBucket" {
		owner = who.Account // no bucket to own yet: the requester's own
	}
	req := policy.Request{Action: act, Resource: res, Requester: who.Requester}
	if ba.policy != nil || len(who.policies) > 0 {
		vals := s.conditionContext(rq, who)
		if t.versionID != "" {
			vals.Set("s3:VersionId", t.versionID)
		}
		if id := rq.query.Get("uploadId"); id != "" && act == "s3:PutObject" {
			s.uploads.addTo(id, vals)
		}
		req.Context = &lazyContext{Values: vals, tags: s.existingTags(ctx, t)}
	}
	return decide(who, owner, ba, req)
}

// decide combines the bucket policy and the identity policies.
func decide(who *principal, owner string, ba *bucketAccess, req policy.Request) error {
	sameAccount := !who.Anonymous && who.Account == owner
	req.Requester.ViaAccount = !sameAccount
	bp := ba.policy.Evaluate(req)
	if bp == policy.Allowed && ba.block.RestrictPublicBuckets && ba.public && !sameAccount {
		bp = policy.Implicit // a public policy serves only the owner's account
	}
	if bp == policy.Denied {
		if who.root && sameAccount && isPolicyAction(req.Action) {
			return nil // no policy locks its bucket's owner out of the policy
		}
		return accessDenied(who, req.Action, req.Resource, "with an explicit deny in a resource-based policy")
	}
	id := policy.Implicit
	if !who.root {
		id = who.identityDecision(req)
	}
	switch {
	case id == policy.Denied:
		return accessDenied(who, req.Action, req.Resource, "with an explicit deny in an identity-based policy")
	case sameAccount && (who.root || bp == policy.Allowed || id == policy.Allowed):
		return nil
	case sameAccount:
		return accessDenied(who, req.Action, req.Resource, "because no identity-based policy allows the "+req.Action+" action")
	case bp != policy.Allowed:
		return accessDenied(who, req.Action, req.Resource, "because no resource-based policy allows the "+req.Action+" action")
	case who.Anonymous || who.root || id == policy.Allowed:
		return nil
	}
	return accessDenied(who, req.Action, req.Resource, "because no identity-based policy allows the "+req.Action+" action")
}

// accessDenied is S3's AccessDenied, naming for a signed request who was
// refused what and why.
func accessDenied(who *principal, act, resource, why string) error {
	msg := "Access Denied"
	if !who.Anonymous {
		msg = fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %q %s", who.ARN, act, resource, why)
	}
	return &objstore.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: msg}
}
