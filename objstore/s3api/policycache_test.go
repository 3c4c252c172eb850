package s3api

import (
	"fmt"
	"testing"
)

// TestPolicyCache: a bucket's parsed policy is reused only for the same
// document, and the cache stays within its bound.
func TestPolicyCache(t *testing.T) {
	var c policyCache
	doc := func(action string) []byte {
		return []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"` + action + `","Resource":"arn:aws:s3:::bucket/*"}]}`)
	}
	first, public, err := c.parse("bucket", doc("s3:GetObject"))
	if err != nil || !public {
		t.Fatalf("parse: %v, public %v", err, public)
	}
	if again, _, _ := c.parse("bucket", doc("s3:GetObject")); again != first {
		t.Error("the same document was parsed again")
	}
	changed, _, _ := c.parse("bucket", doc("s3:PutObject"))
	if changed == first || changed.Statements[0].Actions[0] != "s3:PutObject" {
		t.Errorf("a changed document gave the cached policy: %+v", changed.Statements[0])
	}
	if _, _, err := c.parse("bucket", []byte("not json")); err == nil {
		t.Error("a broken document parsed")
	}
	for i := range maxCachedPolicies + 10 {
		b := fmt.Sprintf("bucket-%d", i)
		if _, _, err := c.parse(b, []byte(`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::`+b+`/*"}]}`)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.entries); n > maxCachedPolicies {
		t.Errorf("%d cached policies, bound %d", n, maxCachedPolicies)
	}
}
