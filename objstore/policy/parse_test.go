package policy

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		doc, bucket, want string
	}{
		{``, "b", "valid JSON"},
		{`[]`, "b", "valid JSON"},
		{`{"Statement": [`, "b", "valid JSON"},
		{`{"Version":"2012-10-17"}`, "b", "Missing required field Statement"},
		{`{"Statement":[]}`, "b", "Statement is empty"},
		{`{"Version":"2020-01-01","Statement":[]}`, "b", "valid version"},
		{`{"Statment":[]}`, "b", "Unknown field Statment"},
		{`{"Statement":{"Effect":"Permit","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, "b", "Invalid effect: Permit"},
		{`{"Statement":{"Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, "b", "Missing required field Effect"},
		{`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, "b", "Missing required field Principal"},
		{`{"Statement":{"Effect":"Allow","Principal":"alice","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, "b", "Invalid principal"},
		{`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:user/x"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, "b", "Invalid principal"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::b/*"}}`, "b", "Missing required field Action"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"GetObject","Resource":"arn:aws:s3:::b/*"}}`, "b", "invalid action"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"arn:aws:s3:::b/*"}}`, "b", "invalid action"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*"}}`, "b", "invalid resource"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}`, "b", "Missing required field Resource"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","NotAction":"s3:Get*","Resource":"arn:aws:s3:::b/*"}}`, "b", "both Action and NotAction"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEqualz":{"s3:prefix":"a"}}}}`, "b", "Invalid Condition type : StringEqualz"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"not-an-ip"}}}}`, "b", "Invalid Condition value"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}}}`, "b", "Invalid Condition value"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"prefix":"a"}}}}`, "b", "invalid condition key"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"NullIfExists":{"s3:prefix":"true"}}}}`, "b", "Invalid Condition type"},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:prefix":{"a":1}}}}}`, "b", "Invalid Condition value"},
	}
	for _, c := range cases {
		_, err := ParseBucket([]byte(c.doc), c.bucket)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: err %v, want a policy error", c.doc, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q does not say %q", c.doc, err, c.want)
		}
	}
}

func TestIdentityPolicyHasNoPrincipal(t *testing.T) {
	_, err := Parse([]byte(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`), Identity)
	if err == nil || !strings.Contains(err.Error(), "should not specify a principal") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseForms(t *testing.T) {
	p, err := ParseBucket([]byte(`{"Id":"x","Statement":{"Sid":"one","Effect":"Allow","Principal":{"AWS":["*"]},
		"Action":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::b*"}}`), "b")
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "2008-10-17" || p.ID != "x" || len(p.Statements) != 1 || p.Statements[0].Sid != "one" || !p.Statements[0].Principal.Any {
		t.Fatalf("parsed %+v", p)
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"*/x/*", "a/x/b", true}, {"*/x/*", "a/y/b", false}, {"a*b*c", "aXbYbZc", true},
		{"ä?", "äö", true}, {"abc", "abd", false}, {"**", "x", true},
	}
	for _, c := range cases {
		if got := match(c.p, c.s); got != c.want {
			t.Errorf("match(%q, %q) = %v", c.p, c.s, got)
		}
	}
}
