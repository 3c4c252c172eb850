package sigv4

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The example credentials and time of the AWS documentation.
const (
	docAccessKey = "AKIAIOSFODNN7EXAMPLE"
	docSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var docTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

// testCreds maps access keys to secrets.
type testCreds map[string]string

func (c testCreds) SecretKey(ak string) (string, bool) {
	s, ok := c[ak]
	return s, ok
}

// verifierAt is a Verifier that knows the documentation's key and whose
// clock stands at now.
func verifierAt(now time.Time) *Verifier {
	return &Verifier{Credentials: testCreds{docAccessKey: docSecret}, Now: func() time.Time { return now }}
}

var sdkCreds = aws.Credentials{AccessKeyID: docAccessKey, SecretAccessKey: docSecret}

// s3Signer signs the way S3 clients do: the path is not escaped again.
func s3Signer() *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
}

// sdkSign signs req with aws-sdk-go-v2 in the Authorization header,
// setting x-amz-content-sha256 to payload first.
func sdkSign(t testing.TB, req *http.Request, payload string, at time.Time) {
	t.Helper()
	req.Header.Set("X-Amz-Content-Sha256", payload)
	if err := s3Signer().SignHTTP(context.Background(), sdkCreds, req, payload, "s3", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
}

// sdkPresign pre-signs req with aws-sdk-go-v2 for expires and returns the
// request that a holder of the URL sends.
func sdkPresign(t testing.TB, req *http.Request, expires time.Duration, at time.Time) *http.Request {
	t.Helper()
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	req.URL.RawQuery = q.Encode()
	u, hdr, err := s3Signer().PresignHTTP(context.Background(), sdkCreds, req, unsignedValue, "s3", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(req.Method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if !strings.EqualFold(k, "host") {
			out.Header[k] = v
		}
	}
	return out
}

// newRequest makes a server-side-looking request with a body.
func newRequest(t testing.TB, method, url string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func nopBody(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
