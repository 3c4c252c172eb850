package s3api

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/cairnfs/cairn/objstore/policy"
)

// TestDecide is the table of how the bucket policy, identity policies,
// the requester's account and the public access block combine.
func TestDecide(t *testing.T) {
	const owner = "000000000001"
	parse := func(doc string, kind policy.Kind) *policy.Policy {
		p, err := policy.Parse([]byte(doc), kind)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	allowAll := parse(`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, policy.Identity)
	denyAll := parse(`{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`, policy.Identity)
	bucketAllowsAll := parse(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, policy.Resource)
	bucketAllowsOwnAccount := parse(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"000000000001"},"Action":"s3:*","Resource":"*"}}`, policy.Resource)
	bucketAllowsOtherAccount := parse(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::987654321098:root"},"Action":"s3:*","Resource":"*"}}`, policy.Resource)
	bucketDeniesAll := parse(`{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, policy.Resource)

	root := &principal{Requester: policy.Requester{Account: owner, ARN: policy.AccountRoot(owner)}, root: true}
	user := func(account string, pols ...*policy.Policy) *principal {
		return &principal{Requester: policy.Requester{Account: account, ARN: "arn:aws:iam::" + account + ":user/u"}, policies: pols}
	}
	anon := &principal{Requester: policy.Requester{Anonymous: true}}
	restrict := iam.PublicAccessBlock{RestrictPublicBuckets: true}

	cases := []struct {
		name   string
		who    *principal
		bucket *policy.Policy
		block  iam.PublicAccessBlock
		action string
		allow  bool
	}{
		{"root, no policy", root, nil, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"root, bucket denies", root, bucketDeniesAll, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"root, bucket denies, policy action", root, bucketDeniesAll, iam.PublicAccessBlock{}, "s3:DeleteBucketPolicy", true},
		{"user, nothing", user(owner), nil, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"user, identity allows", user(owner, allowAll), nil, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"user, bucket allows", user(owner), bucketAllowsAll, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"user, identity denies, bucket allows", user(owner, denyAll), bucketAllowsAll, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"user, identity allows, bucket denies", user(owner, allowAll), bucketDeniesAll, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"other account, identity allows only", user("987654321098", allowAll), nil, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"other account, bucket allows only", user("987654321098"), bucketAllowsAll, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"other account, both allow", user("987654321098", allowAll), bucketAllowsAll, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"other account, both allow, restricted", user("987654321098", allowAll), bucketAllowsAll, restrict, "s3:GetObject", false},
		{"same account, public policy, restricted", user(owner), bucketAllowsAll, restrict, "s3:GetObject", true},
		{"user, bucket allows its account", user(owner), bucketAllowsOwnAccount, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"user, bucket allows its account, identity allows", user(owner, allowAll), bucketAllowsOwnAccount, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"other account, bucket allows that account, identity allows", user("987654321098", allowAll), bucketAllowsOtherAccount, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"other account, bucket allows that account only", user("987654321098"), bucketAllowsOtherAccount, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"anonymous, nothing", anon, nil, iam.PublicAccessBlock{}, "s3:GetObject", false},
		{"anonymous, bucket allows", anon, bucketAllowsAll, iam.PublicAccessBlock{}, "s3:GetObject", true},
		{"anonymous, bucket allows, restricted", anon, bucketAllowsAll, restrict, "s3:GetObject", false},
	}
	for _, c := range cases {
		ba := &bucketAccess{owner: owner, policy: c.bucket, public: c.bucket.IsPublic(), block: c.block}
		req := policy.Request{Action: c.action, Resource: "arn:aws:s3:::b/k", Requester: c.who.Requester}
		err := decide(c.who, owner, ba, req)
		if (err == nil) != c.allow {
			t.Errorf("%s: %v, want allowed=%v", c.name, err, c.allow)
		}
	}
}

func TestActionNames(t *testing.T) {
	s := New(nil, Config{})
	cases := map[string]string{
		"GET /b/k":                 "s3:GetObject",
		"GET /b/k?versionId=v1":    "s3:GetObjectVersion",
		"DELETE /b/k?versionId=1":  "s3:DeleteObjectVersion",
		"GET /b?list-type=2":       "s3:ListBucket",
		"GET /b?versions":          "s3:ListBucketVersions",
		"PUT /b?policy":            "s3:PutBucketPolicy",
		"PUT /b/k?acl":             "s3:PutObjectAcl",
		"GET /b?acl":               "s3:GetBucketAcl",
		"GET /":                    "s3:ListAllMyBuckets",
		"POST /b/k?uploads":        "s3:PutObject",
		"HEAD /b":                  "s3:ListBucket",
		"PUT /b?publicAccessBlock": "s3:PutBucketPublicAccessBlock",
	}
	for in, want := range cases {
		method, target, _ := strings.Cut(in, " ")
		r := httptest.NewRequest(method, target, nil)
		rq := &request{r: r, query: r.URL.Query()}
		if err := s.route(rq); err != nil {
			t.Fatal(err)
		}
		h, err := s.handler(rq)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := action(handlerName(h), rq); got != want {
			t.Errorf("%s: action %q, want %q", in, got, want)
		}
	}
}
