package policy

import (
	"testing"
)

const (
	alice    = "arn:aws:iam::000000000001:user/alice"
	pipeline = "arn:aws:iam::987654321098:role/DataPipelineRole"
)

var (
	aliceReq    = Requester{Account: "000000000001", ARN: alice}
	pipelineReq = Requester{Account: "987654321098", ARN: pipeline}
	anonymous   = Requester{Anonymous: true}
)

// The examples of the S3 guide, as written there.
const (
	denyUnencrypted = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyUnencryptedObjectUploads",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::my-bucket/*",
    "Condition": {
      "StringNotEquals": {
        "s3:x-amz-server-side-encryption": "aws:kms"
      }
    }
  }]
}`
	httpsOnly = `{
  "Statement": [{
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
    "Condition": { "Bool": { "aws:SecureTransport": "false" } }
  }]
}`
	crossAccount = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AllowCrossAccountRead",
    "Effect": "Allow",
    "Principal": { "AWS": "arn:aws:iam::987654321098:role/DataPipelineRole" },
    "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": [
      "arn:aws:s3:::my-data-bucket",
      "arn:aws:s3:::my-data-bucket/*"
    ]
  }]
}`
)

func ctx(kv ...string) Values {
	v := Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestEvaluate(t *testing.T) {
	cases := []struct {
		name   string
		doc    string
		bucket string
		req    Request
		want   Decision
	}{
		{"unencrypted put denied", denyUnencrypted, "my-bucket",
			Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::my-bucket/a", Requester: aliceReq}, Denied},
		{"SSE-S3 put denied", denyUnencrypted, "my-bucket",
			Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::my-bucket/a", Requester: aliceReq,
				Context: ctx("s3:x-amz-server-side-encryption", "AES256")}, Denied},
		{"SSE-KMS put not denied", denyUnencrypted, "my-bucket",
			Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::my-bucket/a", Requester: aliceReq,
				Context: ctx("s3:x-amz-server-side-encryption", "aws:kms")}, Implicit},
		{"get unaffected", denyUnencrypted, "my-bucket",
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/a", Requester: aliceReq}, Implicit},
		{"plain http denied", httpsOnly, "my-bucket",
			Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::my-bucket", Requester: anonymous,
				Context: ctx("aws:SecureTransport", "false")}, Denied},
		{"https not denied", httpsOnly, "my-bucket",
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/k", Requester: aliceReq,
				Context: ctx("aws:SecureTransport", "true")}, Implicit},
		{"cross-account read allowed", crossAccount, "my-data-bucket",
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::my-data-bucket/x/y", Requester: pipelineReq}, Allowed},
		{"cross-account list allowed", crossAccount, "my-data-bucket",
			Request{Action: "s3:listbucket", Resource: "arn:aws:s3:::my-data-bucket", Requester: pipelineReq}, Allowed},
		{"cross-account write not allowed", crossAccount, "my-data-bucket",
			Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::my-data-bucket/x", Requester: pipelineReq}, Implicit},
		{"other principal not allowed", crossAccount, "my-data-bucket",
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::my-data-bucket/x", Requester: aliceReq}, Implicit},
		{"anonymous not allowed", crossAccount, "my-data-bucket",
			Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::my-data-bucket/x", Requester: anonymous}, Implicit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParseBucket([]byte(c.doc), c.bucket)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Evaluate(c.req); got != c.want {
				t.Errorf("Evaluate = %v, want %v", got, c.want)
			}
		})
	}
}

func TestDenyBeatsAllow(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:Delete*","Resource":"arn:aws:s3:::b/keep/*"}]}`)
	check := func(action, res string, want Decision) {
		t.Helper()
		if got := p.Evaluate(Request{Action: action, Resource: res, Requester: aliceReq}); got != want {
			t.Errorf("%s %s = %v, want %v", action, res, got, want)
		}
	}
	check("s3:DeleteObject", "arn:aws:s3:::b/keep/x", Denied)
	check("s3:DeleteObject", "arn:aws:s3:::b/other/x", Allowed)
	check("s3:GetObject", "arn:aws:s3:::b/keep/x", Allowed)
	if got := Combine(Allowed, Implicit, Denied); got != Denied {
		t.Errorf("Combine = %v", got)
	}
	if got := Combine(Implicit, Allowed); got != Allowed {
		t.Errorf("Combine = %v", got)
	}
}

func TestNotActionNotResource(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":"s3:Delete*","NotResource":"arn:aws:s3:::secret/*"}]}`)
	cases := map[string]Decision{
		"s3:GetObject arn:aws:s3:::pub/a":    Allowed,
		"s3:DeleteObject arn:aws:s3:::pub/a": Implicit,
		"s3:GetObject arn:aws:s3:::secret/a": Implicit,
	}
	for in, want := range cases {
		var action, res string
		for i := range in {
			if in[i] == ' ' {
				action, res = in[:i], in[i+1:]
				break
			}
		}
		if got := p.Evaluate(Request{Action: action, Resource: res, Requester: aliceReq}); got != want {
			t.Errorf("%s = %v, want %v", in, got, want)
		}
	}
}

func TestConditions(t *testing.T) {
	cases := []struct {
		cond string
		ctx  Values
		want bool
	}{
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx("aws:SourceIp", "10.1.2.3"), true},
		{`{"IpAddress":{"aws:SourceIp":["192.168.0.0/16","10.0.0.0/8"]}}`, ctx("aws:SourceIp", "127.0.0.1"), false},
		{`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, ctx("aws:SourceIp", "127.0.0.1"), true},
		{`{"IpAddress":{"aws:SourceIp":"::1"}}`, ctx("aws:SourceIp", "::1"), true},
		{`{"StringLike":{"s3:prefix":["home/*","public/"]}}`, ctx("s3:prefix", "home/alice/"), true},
		{`{"StringLike":{"s3:prefix":"home/*"}}`, ctx(), false},
		{`{"StringNotLike":{"s3:prefix":"home/*"}}`, ctx(), true},
		{`{"StringEquals":{"s3:prefix":""}}`, ctx("s3:prefix", ""), true},
		{`{"StringEqualsIgnoreCase":{"s3:x-amz-acl":"PRIVATE"}}`, ctx("s3:x-amz-acl", "private"), true},
		{`{"StringEqualsIfExists":{"s3:x-amz-acl":"private"}}`, ctx(), true},
		{`{"StringEqualsIfExists":{"s3:x-amz-acl":"private"}}`, ctx("s3:x-amz-acl", "public-read"), false},
		{`{"Null":{"s3:x-amz-server-side-encryption":"true"}}`, ctx(), true},
		{`{"Null":{"s3:x-amz-server-side-encryption":true}}`, ctx("s3:x-amz-server-side-encryption", "AES256"), false},
		{`{"Null":{"s3:x-amz-server-side-encryption":"false"}}`, ctx("s3:x-amz-server-side-encryption", "AES256"), true},
		{`{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "10"), true},
		{`{"NumericLessThan":{"s3:max-keys":10}}`, ctx("s3:max-keys", "10"), false},
		{`{"NumericGreaterThan":{"s3:max-keys":"5"}}`, ctx("s3:max-keys", "abc"), false},
		{`{"NumericNotEquals":{"s3:max-keys":"5"}}`, ctx("s3:max-keys", "6"), true},
		{`{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx("aws:CurrentTime", "2026-11-25T12:00:00Z"), true},
		{`{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01"}}`, ctx("aws:CurrentTime", "2026-11-25T12:00:00Z"), false},
		{`{"DateEquals":{"aws:CurrentTime":"1700000000"}}`, ctx("aws:CurrentTime", "2023-11-14T22:13:20Z"), true},
		{`{"Bool":{"aws:SecureTransport":false}}`, ctx("aws:SecureTransport", "false"), true},
		{`{"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:SecureTransport", "false"), false},
		{`{"StringEquals":{"aws:PrincipalAccount":"000000000001"},"StringLike":{"aws:username":"al*"}}`,
			ctx("aws:PrincipalAccount", "000000000001", "aws:username", "alice"), true},
		{`{"StringEquals":{"aws:PrincipalAccount":"000000000001"},"StringLike":{"aws:username":"bo?"}}`,
			ctx("aws:PrincipalAccount", "000000000001", "aws:username", "alice"), false},
		{`{"StringEquals":{"s3:ExistingObjectTag/Class":"public"}}`, ctx("s3:existingobjecttag/Class", "public"), true},
		{`{"StringEquals":{"s3:ExistingObjectTag/Class":"public"}}`, ctx("s3:existingobjecttag/class", "public"), false},
		{`{"StringEquals":{"s3:VersionId":"v1"}}`, ctx("s3:versionid", "v1"), true},
	}
	for _, c := range cases {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + c.cond + `}}`
		p := mustParse(t, doc)
		got := p.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Requester: aliceReq, Context: c.ctx}) == Allowed
		if got != c.want {
			t.Errorf("%s with %v = %v, want %v", c.cond, c.ctx, got, c.want)
		}
	}
}

func TestSetQualifiers(t *testing.T) {
	multi := Values{"s3:requestobjecttagkeys": {"a", "b"}}
	cases := []struct {
		cond string
		ctx  Values
		want bool
	}{
		{`{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["b","c"]}}`, multi, true},
		{`{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["b","c"]}}`, multi, false},
		{`{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["a","b","c"]}}`, multi, true},
		{`{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["a"]}}`, Values{}, true},
		{`{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["a"]}}`, Values{}, false},
	}
	for _, c := range cases {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":` + c.cond + `}}`
		got := mustParse(t, doc).Evaluate(Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k", Requester: aliceReq, Context: c.ctx}) == Allowed
		if got != c.want {
			t.Errorf("%s with %v = %v, want %v", c.cond, c.ctx, got, c.want)
		}
	}
}

func TestPrincipals(t *testing.T) {
	doc := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["987654321098","arn:aws:iam::000000000001:user/alice"]},
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	p, err := ParseBucket([]byte(doc), "b")
	if err != nil {
		t.Fatal(err)
	}
	bob := Requester{Account: "000000000001", ARN: "arn:aws:iam::000000000001:user/bob"}
	carol := Requester{Account: "987654321098", ARN: "arn:aws:iam::987654321098:user/carol", ViaAccount: true}
	carolDirect := Requester{Account: "987654321098", ARN: "arn:aws:iam::987654321098:user/carol"}
	pipelineVia := pipelineReq
	pipelineVia.ViaAccount = true
	for r, want := range map[Requester]Decision{aliceReq: Allowed, bob: Implicit, carol: Allowed, carolDirect: Implicit, pipelineVia: Allowed, anonymous: Implicit} {
		if got := p.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Requester: r}); got != want {
			t.Errorf("%s: %v, want %v", r.ARN, got, want)
		}
	}
	deny, err := ParseBucket([]byte(`{"Statement":[{"Effect":"Deny","Principal":{"AWS":"000000000001"},
		"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}`), "b")
	if err != nil {
		t.Fatal(err)
	}
	if got := deny.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Requester: bob}); got != Denied {
		t.Errorf("Deny naming the account: bob %v, want deny", got)
	}
	np, err := ParseBucket([]byte(`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::000000000001:user/alice"},
		"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}`), "b")
	if err != nil {
		t.Fatal(err)
	}
	if got := np.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Requester: bob}); got != Denied {
		t.Errorf("NotPrincipal: bob %v, want deny", got)
	}
	if got := np.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Requester: aliceReq}); got != Implicit {
		t.Errorf("NotPrincipal: alice %v, want implicit", got)
	}
}

func TestPolicyVariables(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",
		"Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`)
	req := func(user, key string) Request {
		return Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::home/" + key, Requester: aliceReq, Context: ctx("aws:username", user)}
	}
	if got := p.Evaluate(req("alice", "alice/x")); got != Allowed {
		t.Errorf("own home: %v", got)
	}
	if got := p.Evaluate(req("alice", "bob/x")); got != Implicit {
		t.Errorf("other home: %v", got)
	}
	if got := p.Evaluate(Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::home/x/y", Requester: anonymous}); got != Implicit {
		t.Errorf("no user name: %v", got)
	}
}

func TestIsPublic(t *testing.T) {
	cases := map[string]bool{
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`:                    true,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`:            true,
		`{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`:                     false,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":"987654321098"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`: false,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
			"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`: false,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
			"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}}`: true,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
			"Condition":{"Bool":{"aws:SecureTransport":"true"}}}}`: true,
	}
	for doc, want := range cases {
		p, err := ParseBucket([]byte(doc), "b")
		if err != nil {
			t.Fatal(err)
		}
		if got := p.IsPublic(); got != want {
			t.Errorf("%s: IsPublic = %v, want %v", doc, got, want)
		}
	}
}

func mustParse(t *testing.T, doc string) *Policy {
	t.Helper()
	p, err := Parse([]byte(doc), Identity)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}
