package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestPresignDocumentedExample(t *testing.T) {
	got, err := Presign("GET", "https://examplebucket.s3.amazonaws.com/test.txt", "us-east-1", docAccessKey, docSecret, 24*time.Hour, docTime)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	if got != want {
		t.Fatalf("Presign =\n%s\nwant the documented URL\n%s", got, want)
	}
}

// Presign and aws-sdk-go-v2's PresignHTTP sign the same URL identically,
// and the verifier accepts both.
func TestPresignMatchesSDK(t *testing.T) {
	for _, raw := range []string{
		"http://127.0.0.1:9000/bucket/dir/a%20b%2Bc%21.txt",
		"http://127.0.0.1:9000/bucket/k?partNumber=2&uploadId=x%2By",
		"https://bucket.example.com/%C3%BC/key",
		"https://bucket.example.com:443/key",
	} {
		t.Run(raw, func(t *testing.T) {
			for _, method := range []string{"GET", "PUT"} {
				ours, err := Presign(method, raw, "us-east-1", docAccessKey, docSecret, time.Hour, signTime)
				if err != nil {
					t.Fatal(err)
				}
				sdk := sdkPresign(t, newRequest(t, method, raw, nil), time.Hour, signTime)
				if a, b := signatureOf(t, ours), sdk.URL.Query().Get("X-Amz-Signature"); a != b {
					t.Fatalf("%s: signature %s, aws-sdk-go-v2 %s (%s vs %s)", method, a, b, ours, sdk.URL)
				}
				for _, req := range []*http.Request{newRequest(t, method, ours, nil), sdk} {
					if _, err := verifierAt(signTime.Add(59 * time.Minute)).Verify(req); err != nil {
						t.Fatalf("%s %s refused: %v", method, req.URL, err)
					}
				}
			}
		})
	}
}

func signatureOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("X-Amz-Signature")
}

func TestPresignRefusesBadInput(t *testing.T) {
	for name, tc := range map[string]struct {
		url     string
		expires time.Duration
	}{
		"no expiry":      {"http://h/b/k", 0},
		"over a week":    {"http://h/b/k", MaxPresignExpiry + time.Second},
		"not http":       {"ftp://h/b/k", time.Hour},
		"no host":        {"/b/k", time.Hour},
		"already signed": {"http://h/b/k?X-Amz-Signature=ab", time.Hour},
		"user info":      {"http://u:p@h/b/k", time.Hour},
		"unparseable":    {"http://h/%zz", time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			if u, err := Presign("GET", tc.url, "us-east-1", "AK", "SK", tc.expires, signTime); err == nil {
				t.Fatalf("Presign gave %s", u)
			}
		})
	}
	if _, err := Presign("GET", "http://h/b/k", "us-east-1", "AK", "SK", MaxPresignExpiry, signTime); err != nil {
		t.Fatalf("a week is allowed: %v", err)
	}
}

func TestVerifyPresignedSDK(t *testing.T) {
	req := sdkPresign(t, newRequest(t, "PUT", "http://127.0.0.1:9000/bucket/report.csv", nil), 10*time.Minute, signTime)
	req.Body = http.NoBody
	auth, err := verifierAt(signTime.Add(5 * time.Minute)).Verify(req)
	if err != nil {
		t.Fatalf("SDK pre-signed PUT refused: %v", err)
	}
	if !auth.Presigned || auth.Payload != PayloadUnsigned || auth.AccessKey != docAccessKey {
		t.Fatalf("auth = %+v", auth)
	}
}

func TestVerifyPresignedTampered(t *testing.T) {
	cases := map[string]func(r *http.Request){
		"path":    func(r *http.Request) { r.URL.Path = "/bucket/other.csv" },
		"method":  func(r *http.Request) { r.Method = "DELETE" },
		"expires": func(r *http.Request) { setQuery(r, "X-Amz-Expires", "604800") },
		"query":   func(r *http.Request) { r.URL.RawQuery += "&versionId=7" },
		"host":    func(r *http.Request) { r.Host = "evil.example.com" },
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			req := sdkPresign(t, newRequest(t, "GET", "http://127.0.0.1:9000/bucket/report.csv", nil), time.Hour, signTime)
			tamper(req)
			_, err := verifierAt(signTime).Verify(req)
			wantCode(t, err, "SignatureDoesNotMatch")
		})
	}
}

func setQuery(r *http.Request, k, v string) {
	q := r.URL.Query()
	q.Set(k, v)
	r.URL.RawQuery = q.Encode()
}

func TestVerifyPresignedExpiry(t *testing.T) {
	mk := func() *http.Request {
		return sdkPresign(t, newRequest(t, "GET", "http://127.0.0.1:9000/bucket/k", nil), time.Hour, signTime)
	}
	if _, err := verifierAt(signTime.Add(time.Hour)).Verify(mk()); err != nil {
		t.Fatalf("at its last second: %v", err)
	}
	_, err := verifierAt(signTime.Add(time.Hour + time.Second)).Verify(mk())
	wantCode(t, err, "AccessDenied")
	if msg := objstore.AsError(err).Message; msg != "Request has expired" {
		t.Fatalf("message %q", msg)
	}
	// Signed 15 minutes ahead of the server is still fine, more is not.
	if _, err := verifierAt(signTime.Add(-MaxSkew)).Verify(mk()); err != nil {
		t.Fatalf("15 minutes early: %v", err)
	}
	_, err = verifierAt(signTime.Add(-MaxSkew - time.Second)).Verify(mk())
	wantCode(t, err, "AccessDenied")
}

func TestVerifyPresignedMalformed(t *testing.T) {
	good := url.Values{
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {docAccessKey + "/20261125/us-east-1/s3/aws4_request"},
		"X-Amz-Date":          {"20261125T120000Z"},
		"X-Amz-Expires":       {"3600"},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {emptySHA256},
	}
	cases := map[string]func(q url.Values){
		"expires zero":         func(q url.Values) { q.Set("X-Amz-Expires", "0") },
		"expires negative":     func(q url.Values) { q.Set("X-Amz-Expires", "-1") },
		"expires too long":     func(q url.Values) { q.Set("X-Amz-Expires", "604801") },
		"expires not a number": func(q url.Values) { q.Set("X-Amz-Expires", "1h") },
		"no signature":         func(q url.Values) { q.Del("X-Amz-Signature") },
		"no date":              func(q url.Values) { q.Del("X-Amz-Date") },
		"bad date":             func(q url.Values) { q.Set("X-Amz-Date", "2026-11-25T12:00:00Z") },
		"other algorithm":      func(q url.Values) { q.Set("X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256") },
		"two signatures":       func(q url.Values) { q.Add("X-Amz-Signature", emptySHA256) },
		"bad credential":       func(q url.Values) { q.Set("X-Amz-Credential", docAccessKey+"/20261125/us-east-1") },
		"credential date":      func(q url.Values) { q.Set("X-Amz-Credential", docAccessKey+"/20261124/us-east-1/s3/aws4_request") },
		"no host signed":       func(q url.Values) { q.Set("X-Amz-SignedHeaders", "range") },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range good {
				q[k] = append([]string(nil), v...)
			}
			edit(q)
			req := newRequest(t, "GET", "http://127.0.0.1:9000/bucket/k?"+q.Encode(), nil)
			_, err := verifierAt(signTime).Verify(req)
			wantCode(t, err, "AuthorizationQueryParametersError")
		})
	}
	if _, err := verifierAt(signTime).Verify(newRequest(t, "GET", "http://h/b/k?"+good.Encode(), nil)); !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("well-formed query with a wrong signature: %v", err)
	}
}
