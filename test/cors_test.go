package test

import (
	"net/http"
	"strings"
	"testing"
)

// preflight sends a browser's CORS preflight for a PUT of bucket/key.
func preflight(t *testing.T, s *server, path, origin, method, headers string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodOptions, s.endpoint+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	req.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		req.Header.Set("Access-Control-Request-Headers", headers)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

const corsRules = `{"CORSRules":[
 {"ID":"app","AllowedOrigins":["https://app.example.com"],"AllowedMethods":["GET","PUT"],"AllowedHeaders":["content-*","x-amz-meta-*"],"ExposeHeaders":["ETag","x-amz-version-id"],"MaxAgeSeconds":600},
 {"AllowedOrigins":["https://*.example.org"],"AllowedMethods":["GET"]}]}`

// TestCORSPreflight checks the answers to browsers' preflights: the first
// matching rule's headers, 403 for an origin, method or header no rule
// allows, and the configuration's own API through the aws CLI.
func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "site")
	s.awsFails(t, "NoSuchCORSConfiguration", "s3api", "get-bucket-cors", "--bucket", "site")
	if resp := preflight(t, s, "/site/a.txt", "https://app.example.com", "PUT", ""); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("preflight of a bucket without CORS: %d, want 403", resp.StatusCode)
	}
	s.aws(t, "s3api", "put-bucket-cors", "--bucket", "site", "--cors-configuration", corsRules)
	var got struct {
		CORSRules []struct {
			ID             string
			AllowedOrigins []string
		}
	}
	s.awsJSON(t, &got, "s3api", "get-bucket-cors", "--bucket", "site")
	if len(got.CORSRules) != 2 || got.CORSRules[0].ID != "app" {
		t.Fatalf("get-bucket-cors: %+v", got)
	}

	resp := preflight(t, s, "/site/a.txt", "https://app.example.com", "PUT", "Content-Type, X-Amz-Meta-Owner")
	want := map[string]string{
		"Access-Control-Allow-Origin":      "https://app.example.com",
		"Access-Control-Allow-Methods":     "GET, PUT",
		"Access-Control-Allow-Headers":     "content-type, x-amz-meta-owner",
		"Access-Control-Expose-Headers":    "ETag, x-amz-version-id",
		"Access-Control-Max-Age":           "600",
		"Access-Control-Allow-Credentials": "true",
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("allowed preflight: %d", resp.StatusCode)
	}
	for k, v := range want {
		if g := resp.Header.Get(k); g != v {
			t.Errorf("allowed preflight %s: %q, want %q", k, g, v)
		}
	}
	if v := resp.Header.Get("Vary"); !strings.Contains(v, "Origin") {
		t.Errorf("preflight Vary %q, want Origin in it", v)
	}
	if r := preflight(t, s, "/site/a.txt", "https://cdn.example.org", "GET", ""); r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != "https://cdn.example.org" {
		t.Errorf("wildcard origin preflight: %d %q", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}

	denied := []struct{ origin, method, headers string }{
		{"https://evil.example.net", "PUT", ""},
		{"https://app.example.com", "DELETE", ""},
		{"https://app.example.com", "PUT", "authorization"},
		{"https://cdn.example.org", "PUT", ""},
	}
	for _, d := range denied {
		r := preflight(t, s, "/site/a.txt", d.origin, d.method, d.headers)
		if r.StatusCode != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight %+v: %d with Allow-Origin %q, want 403 without", d, r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	if r := preflight(t, s, "/site/a.txt", "", "PUT", ""); r.StatusCode != http.StatusBadRequest {
		t.Errorf("preflight without Origin: %d, want 400", r.StatusCode)
	}

	s.aws(t, "s3api", "put-object", "--bucket", "site", "--key", "a.txt")
	get, _ := http.NewRequest(http.MethodGet, s.endpoint+"/site/a.txt", nil)
	get.Header.Set("Origin", "https://app.example.com")
	r, err := http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("unsigned GET from an allowed origin: %d Allow-Origin %q, want 403 that the page can read", r.StatusCode, r.Header.Get("Access-Control-Allow-Origin"))
	}

	s.aws(t, "s3api", "delete-bucket-cors", "--bucket", "site")
	s.awsFails(t, "NoSuchCORSConfiguration", "s3api", "get-bucket-cors", "--bucket", "site")
}

// TestCORSValidation: configurations S3 refuses are refused with its codes.
func TestCORSValidation(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	s.aws(t, "s3api", "create-bucket", "--bucket", "rules")
	bad := []struct{ doc, code string }{
		{`{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}`, "InvalidRequest"},
		{`{"CORSRules":[{"AllowedOrigins":["https://*.*.example.com"],"AllowedMethods":["GET"]}]}`, "InvalidRequest"},
		{`{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"AllowedHeaders":["x-*-*"]}]}`, "InvalidRequest"},
		{`{"CORSRules":[]}`, "MalformedXML"},
	}
	for _, b := range bad {
		s.awsFails(t, b.code, "s3api", "put-bucket-cors", "--bucket", "rules", "--cors-configuration", b.doc)
	}
	s.awsFails(t, "NoSuchBucket", "s3api", "put-bucket-cors", "--bucket", "missing-bucket", "--cors-configuration", corsRules)
}
