package s3api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3api"
)

var root = s3api.Credential{AccessKey: "AKIDSERVERTEST", SecretKey: "server-test-secret"}

// env is a server over a fresh engine and a client that signs like an SDK.
type env struct {
	t    testing.TB
	url  string
	data string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	data := t.TempDir()
	st, err := disk.Open(data, disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	srv := s3api.New(st, s3api.Config{Root: root, Domains: []string{"s3.test"}})
	go func() { done <- srv.Serve(ctx, ln, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		st.Close()
	})
	return &env{t: t, url: "http://" + ln.Addr().String(), data: data}
}

// do sends a request signed with the root credential (UNSIGNED-PAYLOAD
// when body is a stream, the body's hash otherwise).
func (e *env) do(method, path string, body []byte, hdr map[string]string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("x-amz-content-sha256", hash)
	creds := aws.Credentials{AccessKeyID: root.AccessKey, SecretAccessKey: root.SecretKey}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), creds, req, hash, "s3", "us-east-1", time.Now()); err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

type s3Error struct {
	Code      string
	Message   string
	Key       string
	RequestID string `xml:"RequestId"`
}

func readError(t *testing.T, resp *http.Response) s3Error {
	t.Helper()
	var e s3Error
	data, _ := io.ReadAll(resp.Body)
	if err := xml.Unmarshal(data, &e); err != nil {
		t.Fatalf("error body %q: %v", data, err)
	}
	return e
}

func TestErrorDocumentAndRequestID(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/errs", nil, nil)
	resp := e.do("GET", "/errs/no/such/key", nil, nil)
	if resp.StatusCode != 404 {
		t.Fatalf("GET of a missing key: %d, want 404", resp.StatusCode)
	}
	doc := readError(t, resp)
	id := resp.Header.Get("x-amz-request-id")
	if doc.Code != "NoSuchKey" || doc.Key != "no/such/key" || id == "" || doc.RequestID != id {
		t.Fatalf("error %+v with request id header %q", doc, id)
	}
	if ok := e.do("HEAD", "/errs", nil, nil); ok.StatusCode != 200 || ok.Header.Get("x-amz-request-id") == "" {
		t.Fatalf("HEAD bucket: %d, request id %q", ok.StatusCode, ok.Header.Get("x-amz-request-id"))
	}
}

func TestUnsignedRequestsAreRefused(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/private", nil, nil)
	e.do("PUT", "/private/secret.txt", []byte("secret"), nil)
	resp, err := http.Get(e.url + "/private/secret.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 403 || readError(t, resp).Code != "AccessDenied" {
		t.Fatalf("anonymous GET: %d, want 403 AccessDenied", resp.StatusCode)
	}
}

func TestVirtualHostedStyle(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/", nil, map[string]string{"Host": "vhost.s3.test"})
	e.do("PUT", "/dir/file.txt", []byte("by host"), map[string]string{"Host": "vhost.s3.test"})
	resp := e.do("GET", "/vhost/dir/file.txt", nil, nil)
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(got) != "by host" {
		t.Fatalf("path-style GET of an object written virtual-hosted-style: %d %q", resp.StatusCode, got)
	}
}

func TestNotImplementedIsNeverSilent(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/subres", nil, nil)
	for _, q := range []string{"inventory", "analytics", "website"} {
		resp := e.do("PUT", "/subres?"+q, []byte("<x/>"), nil)
		if resp.StatusCode != 501 || readError(t, resp).Code != "NotImplemented" {
			t.Errorf("PUT ?%s: %d, want 501 NotImplemented", q, resp.StatusCode)
		}
	}
}

// TestKeysNeverReachPaths stores keys that look like paths out of the data
// directory and checks nothing appears outside it.
func TestKeysNeverReachPaths(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/paths", nil, nil)
	outside := filepath.Join(filepath.Dir(e.data), "escaped")
	for _, key := range []string{"../escaped", "a/../../../escaped", "./x/../../escaped", "../../../../../../tmp/escaped"} {
		resp := e.do("PUT", "/paths/"+key, []byte("x"), nil)
		if resp.StatusCode != 200 {
			t.Errorf("PUT %q: %d", key, resp.StatusCode)
		}
	}
	if _, err := os.Stat(outside); err == nil {
		t.Fatalf("a key wrote %s outside the data directory", outside)
	}
	resp := e.do("GET", "/paths?list-type=2", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "<Key>../escaped</Key>") {
		t.Fatalf("key ../escaped not listed as stored:\n%s", body)
	}
}

func TestHostileBodiesAndHeaders(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/hostile", nil, nil)
	huge := bytes.Repeat([]byte("<Object><Key>k</Key></Object>"), 200000) // ~5.8 MB of XML
	resp := e.do("POST", "/hostile?delete", append(append([]byte("<Delete>"), huge...), []byte("</Delete>")...), map[string]string{"Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="})
	if resp.StatusCode != 400 || readError(t, resp).Code != "MalformedXML" {
		t.Fatalf("oversized XML body: %d, want 400 MalformedXML", resp.StatusCode)
	}
	for _, body := range []string{"", "<", "<Delete><Object>", "\x00\xff", "<Delete></Delete>"} {
		resp := e.do("POST", "/hostile?delete", []byte(body), map[string]string{"Content-MD5": md5b64(body)})
		if resp.StatusCode != 400 {
			t.Errorf("DeleteObjects with body %q: %d, want 400", body, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("GET", e.url+"/hostile", nil)
	req.Header.Set("X-Padding", strings.Repeat("a", 1<<20))
	r, err := http.DefaultClient.Do(req)
	if err == nil {
		r.Body.Close()
		if r.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("1 MiB header: %d, want 431", r.StatusCode)
		}
	}
	// The server still answers.
	if ok := e.do("HEAD", "/hostile", nil, nil); ok.StatusCode != 200 {
		t.Fatalf("HEAD after hostile requests: %d", ok.StatusCode)
	}
}
