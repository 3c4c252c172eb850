package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

var signTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// signedPut is a PUT of body signed by aws-sdk-go-v2 with its SHA-256.
func signedPut(t *testing.T, body string) *http.Request {
	req := newRequest(t, "PUT", "http://127.0.0.1:9000/bucket/dir/a%20b%2Bc.txt?tagging=&x-id=PutObject", []byte(body))
	req.Header.Set("X-Amz-Meta-Color", "deep   blue ")
	req.Header.Set("Content-Type", "text/plain")
	sdkSign(t, req, sha256Hex([]byte(body)), signTime)
	return req
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want %s", code)
	}
	if got := objstore.AsError(err).Code; got != code {
		t.Fatalf("error %v has code %s; want %s", err, got, code)
	}
}

func TestVerifySDKSignedPayload(t *testing.T) {
	req := signedPut(t, "hello, world")
	auth, err := verifierAt(signTime).Verify(req)
	if err != nil {
		t.Fatalf("SDK-signed PUT refused: %v", err)
	}
	if auth.Payload != PayloadSigned || auth.ContentSHA256 != sha256Hex([]byte("hello, world")) || auth.AccessKey != docAccessKey {
		t.Fatalf("auth = %+v", auth)
	}
	body, err := auth.Body(req)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(body); err != nil || string(got) != "hello, world" || body.Size() != 12 {
		t.Fatalf("body %q, %v, size %d", got, err, body.Size())
	}
}

func TestVerifyRejectsTamperedRequests(t *testing.T) {
	cases := map[string]func(r *http.Request){
		"method": func(r *http.Request) { r.Method = "POST" },
		"path":   func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/bucket/dir/a b+d.txt", "" },
		"encoded slash in path": func(r *http.Request) {
			r.URL.Path, r.URL.RawPath = "/bucket/dir/a b+c.txt", "/bucket%2Fdir/a%20b%2Bc.txt"
		},
		"query value":            func(r *http.Request) { r.URL.RawQuery = "tagging=x&x-id=PutObject" },
		"query added":            func(r *http.Request) { r.URL.RawQuery += "&versionId=1" },
		"host":                   func(r *http.Request) { r.Host = "127.0.0.1:9001" },
		"signed header value":    func(r *http.Request) { r.Header.Set("X-Amz-Meta-Color", "red") },
		"signed header dropped":  func(r *http.Request) { r.Header.Del("Content-Type") },
		"signed header repeated": func(r *http.Request) { r.Header.Add("Content-Type", "text/html") },
		"payload hash":           func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", unsignedValue) },
		"signature": func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-1]+string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", a[len(a)-1])+1)%16]))
		},
		"date": func(r *http.Request) { r.Header.Set("X-Amz-Date", signTime.Add(time.Second).Format(timeFormat)) },
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			req := signedPut(t, "hello, world")
			tamper(req)
			_, err := verifierAt(signTime).Verify(req)
			wantCode(t, err, "SignatureDoesNotMatch")
			if !errors.Is(err, ErrSignatureDoesNotMatch) || objstore.AsError(err).Status != http.StatusForbidden {
				t.Fatalf("error %v is not a 403 SignatureDoesNotMatch", err)
			}
		})
	}
}

func TestVerifyRejectsTamperedBody(t *testing.T) {
	req := signedPut(t, "hello, world")
	req.Body = io.NopCloser(strings.NewReader("hello, World"))
	auth, err := verifierAt(signTime).Verify(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := auth.Body(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(body)
	wantCode(t, err, "XAmzContentSHA256Mismatch")
	// The failure sticks: a caller that reads again does not see io.EOF.
	if _, again := body.Read(make([]byte, 1)); !errors.Is(again, ErrContentSHA256Mismatch) {
		t.Fatalf("second read: %v", again)
	}
}

func TestVerifyUnsignedPayload(t *testing.T) {
	req := newRequest(t, "PUT", "http://localhost/bucket/key", []byte("anything"))
	sdkSign(t, req, unsignedValue, signTime)
	req.Body = io.NopCloser(strings.NewReader("other bytes"))
	auth, err := verifierAt(signTime).Verify(req)
	if err != nil {
		t.Fatalf("UNSIGNED-PAYLOAD refused: %v", err)
	}
	if auth.Payload != PayloadUnsigned {
		t.Fatalf("payload %v", auth.Payload)
	}
	body, _ := auth.Body(req)
	if got, err := io.ReadAll(body); err != nil || string(got) != "other bytes" {
		t.Fatalf("body %q, %v", got, err)
	}
}

func TestVerifyUnsignedAmzHeader(t *testing.T) {
	req := signedPut(t, "x")
	req.Header.Set("X-Amz-Acl", "public-read")
	_, err := verifierAt(signTime).Verify(req)
	wantCode(t, err, "AccessDenied")
	if !strings.Contains(objstore.AsError(err).Message, "not signed") {
		t.Fatalf("message %q", objstore.AsError(err).Message)
	}
}

func TestVerifyClockSkew(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset time.Duration
		ok     bool
	}{
		{"server 15 minutes ahead", MaxSkew, true},
		{"server 15 minutes behind", -MaxSkew, true},
		{"server 15 minutes and a second ahead", MaxSkew + time.Second, false},
		{"server 15 minutes and a second behind", -MaxSkew - time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verifierAt(signTime.Add(tc.offset)).Verify(signedPut(t, "x"))
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok {
				wantCode(t, err, "RequestTimeTooSkewed")
			}
		})
	}
}

func TestVerifyDateHeaderFallback(t *testing.T) {
	req := signedPut(t, "x")
	// A client that signs the Date header instead of x-amz-date.
	req.Header.Del("X-Amz-Date")
	req.Header.Set("Date", signTime.Format(http.TimeFormat))
	_, err := verifierAt(signTime).Verify(req)
	wantCode(t, err, "SignatureDoesNotMatch") // x-amz-date was signed and is gone
	req.Header.Del("Date")
	_, err = verifierAt(signTime).Verify(req)
	wantCode(t, err, "AccessDenied")
}

func TestVerifyUnknownAccessKey(t *testing.T) {
	req := signedPut(t, "x")
	v := &Verifier{Credentials: testCreds{"OTHER": docSecret}, Now: func() time.Time { return signTime }}
	_, err := v.Verify(req)
	wantCode(t, err, "InvalidAccessKeyId")
}

func TestVerifyWrongSecret(t *testing.T) {
	v := &Verifier{Credentials: testCreds{docAccessKey: "another secret"}, Now: func() time.Time { return signTime }}
	_, err := v.Verify(signedPut(t, "x"))
	wantCode(t, err, "SignatureDoesNotMatch")
}

func TestVerifyRegion(t *testing.T) {
	v := verifierAt(signTime)
	v.Region = "us-east-1"
	if _, err := v.Verify(signedPut(t, "x")); err != nil {
		t.Fatalf("right region refused: %v", err)
	}
	v.Region = "eu-west-1"
	_, err := v.Verify(signedPut(t, "x"))
	wantCode(t, err, "AuthorizationHeaderMalformed")
	if !strings.Contains(objstore.AsError(err).Message, "eu-west-1") {
		t.Fatalf("message %q does not name the expected region", objstore.AsError(err).Message)
	}
}

func TestVerifyMissingAuth(t *testing.T) {
	req := newRequest(t, "GET", "http://localhost/bucket/key?versionId=3", nil)
	if HasAuth(req) {
		t.Fatal("HasAuth of an anonymous request")
	}
	_, err := verifierAt(signTime).Verify(req)
	wantCode(t, err, "AccessDenied")
}

func TestVerifyMalformedAuthorization(t *testing.T) {
	const cred = "Credential=AKIAIOSFODNN7EXAMPLE/20261125/us-east-1/s3/aws4_request"
	const sig = "Signature=" + emptySHA256
	cases := map[string]struct{ header, code string }{
		"signature v2":         {"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", "InvalidRequest"},
		"unknown algorithm":    {"AWS4-HMAC-SHA512 " + cred + ", SignedHeaders=host, " + sig, "InvalidRequest"},
		"no signature":         {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host", "AuthorizationHeaderMalformed"},
		"short signature":      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=abc", "AuthorizationHeaderMalformed"},
		"upper-case signature": {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + strings.ToUpper(emptySHA256), "AuthorizationHeaderMalformed"},
		"duplicate component":  {"AWS4-HMAC-SHA256 " + cred + ", " + cred + ", SignedHeaders=host, " + sig, "AuthorizationHeaderMalformed"},
		"unknown component":    {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Foo=bar, " + sig, "AuthorizationHeaderMalformed"},
		"short credential":     {"AWS4-HMAC-SHA256 Credential=AK/20261125/us-east-1/s3, SignedHeaders=host, " + sig, "AuthorizationHeaderMalformed"},
		"wrong service":        {"AWS4-HMAC-SHA256 Credential=AK/20261125/us-east-1/ec2/aws4_request, SignedHeaders=host, " + sig, "AuthorizationHeaderMalformed"},
		"bad date":             {"AWS4-HMAC-SHA256 Credential=AK/2026-11-25/us-east-1/s3/aws4_request, SignedHeaders=host, " + sig, "AuthorizationHeaderMalformed"},
		"date not x-amz-date":  {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-east-1/s3/aws4_request, SignedHeaders=host, " + sig, "AuthorizationHeaderMalformed"},
		"host not signed":      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date, " + sig, "AuthorizationHeaderMalformed"},
		"unsorted headers":     {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date;host, " + sig, "AuthorizationHeaderMalformed"},
		"empty header name":    {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=;host, " + sig, "AuthorizationHeaderMalformed"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, "GET", "http://localhost/bucket/key", nil)
			req.Header.Set("X-Amz-Date", signTime.Format(timeFormat))
			req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
			req.Header.Set("Authorization", tc.header)
			if !HasAuth(req) {
				t.Fatal("HasAuth false with an Authorization header")
			}
			_, err := verifierAt(signTime).Verify(req)
			wantCode(t, err, tc.code)
		})
	}
}

func TestVerifyContentSHA256Header(t *testing.T) {
	for name, tc := range map[string]struct{ value, code string }{
		"missing":     {"", "InvalidRequest"},
		"not a hash":  {"abc", "InvalidArgument"},
		"sigv4a":      {"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "InvalidArgument"},
		"63 hex only": {emptySHA256[1:], "InvalidArgument"},
	} {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, "GET", "http://localhost/bucket/key", nil)
			sdkSign(t, req, emptySHA256, signTime)
			if tc.value == "" {
				req.Header.Del("X-Amz-Content-Sha256")
			} else {
				req.Header.Set("X-Amz-Content-Sha256", tc.value)
			}
			_, err := verifierAt(signTime).Verify(req)
			wantCode(t, err, tc.code)
		})
	}
}

func TestVerifyBothAuthForms(t *testing.T) {
	req := newRequest(t, "GET", "http://localhost/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256", nil)
	sdkSign(t, req, emptySHA256, signTime)
	_, err := verifierAt(signTime).Verify(req)
	wantCode(t, err, "InvalidArgument")
}
