package policy

import "testing"

// FuzzParse checks that no document makes the parser panic, and that a
// document it accepts evaluates without panicking.
func FuzzParse(f *testing.F) {
	for _, s := range []string{denyUnencrypted, httpsOnly, crossAccount, `{}`, `{"Statement":[]}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringLikeIfExists":{"s3:x":[1,true,"a*"]}}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []Kind{Identity, Resource} {
			p, err := Parse(data, kind)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error of type %T: %v", err, err)
				}
				continue
			}
			p.Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Requester: aliceReq})
			p.IsPublic()
		}
		ParseBucket(data, "b")
	})
}

// FuzzEvaluate checks that no request makes evaluation panic.
func FuzzEvaluate(f *testing.F) {
	f.Add("s3:GetObject", "arn:aws:s3:::my-bucket/a", "10.0.0.1", "aws:kms", "2026-01-01T00:00:00Z", "p/*", "${aws:username}/x")
	f.Add("", "", "", "", "", "", "${")
	f.Fuzz(func(t *testing.T, action, resource, ip, sse, when, prefix, pattern string) {
		doc := `{"Version":"2012-10-17","Statement":[` +
			`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},` +
			`{"Effect":"Deny","NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b/*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01"},"NumericLessThanIfExists":{"s3:max-keys":5}}},` +
			`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"},"Null":{"aws:username":"false"}}}]}`
		p, err := Parse([]byte(doc), Identity)
		if err != nil {
			t.Fatal(err)
		}
		c := ctx("aws:SourceIp", ip, "s3:x-amz-server-side-encryption", sse, "aws:CurrentTime", when, "s3:prefix", prefix, "aws:username", pattern, "s3:max-keys", when)
		p.Evaluate(Request{Action: action, Resource: resource, Requester: aliceReq, Context: c})
		match(pattern, resource)
		substitute(pattern, c)
	})
}
