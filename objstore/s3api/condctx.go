package s3api

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/policy"
)

// conditionHeaders are the request headers that are condition keys of
// the same name under s3:.
var conditionHeaders = []string{
	"x-amz-server-side-encryption",
	"x-amz-server-side-encryption-aws-kms-key-id",
	"x-amz-server-side-encryption-customer-algorithm",
	"x-amz-acl",
	"x-amz-storage-class",
	"x-amz-copy-source",
	"x-amz-metadata-directive",
	"x-amz-content-sha256",
	"x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control",
	"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold",
}

// conditionQuery are the query parameters that are condition keys: the
// list parameters and the version ID.
var conditionQuery = map[string]string{
	"prefix": "s3:prefix", "delimiter": "s3:delimiter", "max-keys": "s3:max-keys", "versionId": "s3:VersionId",
}

// conditionContext gathers the condition keys of a request.
func (s *Server) conditionContext(rq *request, who *principal) policy.Values {
	v := policy.Values{}
	v.Set("aws:SecureTransport", strconv.FormatBool(rq.r.TLS != nil))
	if host, _, err := net.SplitHostPort(rq.r.RemoteAddr); err == nil {
		v.Set("aws:SourceIp", host)
	}
	now := time.Now().UTC()
	v.Set("aws:CurrentTime", now.Format(time.RFC3339))
	v.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	if ua := rq.r.UserAgent(); ua != "" {
		v.Set("aws:UserAgent", ua)
	}
	if ref := rq.r.Referer(); ref != "" {
		v.Set("aws:Referer", ref)
	}
	addPrincipalKeys(v, who)
	for _, h := range conditionHeaders {
		if val := rq.r.Header.Get(h); val != "" {
			v.Set("s3:"+h, val)
		}
	}
	for q, key := range conditionQuery {
		if rq.query.Has(q) {
			v.Set(key, rq.query.Get(q))
		}
	}
	addSignatureKeys(v, rq)
	s.addMFAKeys(v, rq, who)
	addRequestTags(v, rq.r.Header.Get("x-amz-tagging"))
	return v
}

// addPrincipalKeys sets the keys that describe the requester.
func addPrincipalKeys(v policy.Values, who *principal) {
	switch {
	case who.Anonymous:
		v.Set("aws:userid", "anonymous")
		v.Set("aws:PrincipalType", "Anonymous")
		return
	case who.root:
		v.Set("aws:PrincipalType", "Account")
	case who.role:
		v.Set("aws:PrincipalType", "AssumedRole")
	default:
		v.Set("aws:PrincipalType", "User")
		v.Set("aws:username", who.name)
	}
	v.Set("aws:userid", who.id)
	v.Set("aws:PrincipalAccount", who.Account)
	v.Set("aws:PrincipalArn", who.ARN)
}

// addSignatureKeys sets how the request was signed.
func addSignatureKeys(v policy.Values, rq *request) {
	if rq.auth == nil || rq.auth.anonymous {
		return
	}
	v.Set("s3:signatureversion", "AWS4-HMAC-SHA256")
	if rq.query.Has("X-Amz-Signature") {
		v.Set("s3:authType", "REST-QUERY-STRING")
	} else {
		v.Set("s3:authType", "REST-HEADER")
	}
}

// addMFAKeys sets aws:MultiFactorAuthPresent for a signed request: true
// when it carried a valid x-amz-mfa, with aws:MultiFactorAuthAge 0 (the
// code is of the moment); false otherwise, without an age.
func (s *Server) addMFAKeys(v policy.Values, rq *request, who *principal) {
	if who.Anonymous {
		return
	}
	present := s.mfaPresent(rq)
	v.Set("aws:MultiFactorAuthPresent", strconv.FormatBool(present))
	if present {
		v.Set("aws:MultiFactorAuthAge", "0")
	}
}

// addRequestTags sets s3:RequestObjectTag/<key> and
// s3:RequestObjectTagKeys from an x-amz-tagging header.
func addRequestTags(v policy.Values, tagging string) {
	if tagging == "" {
		return
	}
	q, err := url.ParseQuery(tagging)
	if err != nil {
		return
	}
	var keys []string
	for k, vals := range q {
		keys = append(keys, k)
		v.Set("s3:RequestObjectTag/"+k, vals...)
	}
	v.Set("s3:RequestObjectTagKeys", keys...)
}

// lazyContext is a request's condition keys, with the tags of the
// existing object (s3:ExistingObjectTag/<key>) read only when a policy
// asks for one.
type lazyContext struct {
	policy.Values
	tags func() objstore.Tags
}

// Value returns the values of key.
func (c *lazyContext) Value(key string) ([]string, bool) {
	if tag, ok := strings.CutPrefix(key, "s3:existingobjecttag/"); ok && c.tags != nil {
		if val, ok := c.tags()[tag]; ok {
			return []string{val}, true
		}
		return nil, false
	}
	return c.Values.Value(key)
}

// existingTags returns a function reading the tags of an object, once.
func (s *Server) existingTags(ctx context.Context, t target) func() objstore.Tags {
	if t.key == "" {
		return nil
	}
	var tags objstore.Tags
	done := false
	return func() objstore.Tags {
		if !done {
			done = true
			tags, _, _ = s.store.GetObjectTagging(ctx, t.bucket, t.key, t.versionID)
		}
		return tags
	}
}
