package s3api_test

import (
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"testing"
	"time"
)

// TestRetentionNeedsDigest: a PUT that sets a retention must carry
// Content-MD5 or an additional checksum, as S3 asks.
func TestRetentionNeedsDigest(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/vault", nil, map[string]string{"x-amz-bucket-object-lock-enabled": "true"})
	body := []byte("sealed record")
	lock := map[string]string{
		"x-amz-object-lock-mode":              "GOVERNANCE",
		"x-amz-object-lock-retain-until-date": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
	}
	resp := e.do("PUT", "/vault/record", body, lock)
	if resp.StatusCode != http.StatusBadRequest || readError(t, resp).Code != "InvalidRequest" {
		t.Fatalf("PUT with retention and no Content-MD5: %d, want 400 InvalidRequest", resp.StatusCode)
	}
	sum := md5.Sum(body)
	lock["Content-MD5"] = base64.StdEncoding.EncodeToString(sum[:])
	if resp := e.do("PUT", "/vault/record", body, lock); resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT with retention and Content-MD5: %d", resp.StatusCode)
	}
	head := e.do("HEAD", "/vault/record", nil, nil)
	if head.Header.Get("x-amz-object-lock-mode") != "GOVERNANCE" || head.Header.Get("x-amz-object-lock-retain-until-date") == "" {
		t.Fatalf("HEAD lock headers: %v", head.Header)
	}
}

// TestCORSHeadersOnlyWithRules: a request with an Origin gets no CORS
// headers from a bucket without rules, and its rule's headers from one
// with them.
func TestCORSHeadersOnlyWithRules(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/pages", nil, nil)
	e.do("PUT", "/pages/index.html", []byte("<p>hi</p>"), nil)
	origin := map[string]string{"Origin": "https://site.example"}
	if r := e.do("GET", "/pages/index.html", nil, origin); r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Vary") != "" {
		t.Fatalf("CORS headers from a bucket without rules: %v", r.Header)
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	sum := md5.Sum(doc)
	if r := e.do("PUT", "/pages?cors", doc, map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(sum[:])}); r.StatusCode != http.StatusOK {
		t.Fatalf("PutBucketCors: %d", r.StatusCode)
	}
	r := e.do("GET", "/pages/index.html", nil, origin)
	if r.Header.Get("Access-Control-Allow-Origin") != "*" || r.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("GET from any origin under a * rule: %v", r.Header)
	}
	if r := e.do("PUT", "/pages/x", []byte("x"), origin); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("PUT, which no rule allows, got Allow-Origin %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
}
