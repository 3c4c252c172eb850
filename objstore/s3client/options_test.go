package s3client_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// writeCA writes the certificate of a TLS test server to a PEM file.
func writeCA(t *testing.T, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTLSWithCABundle trusts a private endpoint's certificate from a CA
// bundle file, refuses it without, and accepts it when told to skip
// verification.
func TestTLSWithCABundle(t *testing.T) {
	srv := startServer(t, serverConfig{tls: true})
	untrusted := openClient(t, s3client.Options{Endpoint: srv.URL, MaxAttempts: 1})
	if err := untrusted.CreateBucket(t.Context(), "tls", objstore.CreateBucketOptions{}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("create bucket over TLS with an unknown authority: %v, want a certificate error", err)
	}
	trusted := openClient(t, s3client.Options{Endpoint: srv.URL, CABundle: writeCA(t, srv.Certificate().Raw)})
	mustBucket(t, trusted, "tls")
	skipping := openClient(t, s3client.Options{Endpoint: srv.URL, InsecureSkipVerify: true})
	if _, err := skipping.HeadBucket(t.Context(), "tls"); err != nil {
		t.Fatalf("head bucket without verification: %v", err)
	}
}

// TestTLSChecksumTrailer sends an unseekable body with a checksum to
// compute over HTTPS: the SDK sends it as an aws-chunked trailer without
// buffering the body, and the store keeps the right checksum.
func TestTLSChecksumTrailer(t *testing.T) {
	srv := startServer(t, serverConfig{tls: true})
	tmp := t.TempDir()
	s := openClient(t, s3client.Options{Endpoint: srv.URL, CABundle: writeCA(t, srv.Certificate().Raw), TempDir: tmp})
	mustBucket(t, s, "trailer")
	data := noise(9<<20, 9)
	info, err := s.PutObject(t.Context(), "trailer", "k", streamOnly{bytes.NewReader(data)},
		objstore.PutOptions{Size: int64(len(data)), Checksum: &objstore.Checksum{Algorithm: objstore.ChecksumCRC32}})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	want := checksumOf(t, objstore.ChecksumCRC32, data)
	if info.Checksum == nil || info.Checksum.Value != want || info.ETag != md5hex(data) {
		t.Fatalf("put: checksum %+v ETag %q, want %s %s", info.Checksum, info.ETag, want, md5hex(data))
	}
	emptyDir(t, tmp)
	obj, err := s.GetObject(t.Context(), "trailer", "k", objstore.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	if obj.Info.Checksum == nil || obj.Info.Checksum.Value != want {
		t.Fatalf("get: checksum %+v, want %s", obj.Info.Checksum, want)
	}
}

// TestCredentialsFromEnvironment signs with the keys of the standard AWS
// environment variables when Options names none.
func TestCredentialsFromEnvironment(t *testing.T) {
	srv := startServer(t, serverConfig{})
	t.Setenv("AWS_ACCESS_KEY_ID", testAccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecretKey)
	t.Setenv("AWS_REGION", "us-east-1")
	s, err := s3client.New(t.Context(), s3client.Options{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustBucket(t, s, "from-env")
}

// TestCredentialsFromProfile reads region and keys of a named profile of
// the shared AWS files.
func TestCredentialsFromProfile(t *testing.T) {
	srv := startServer(t, serverConfig{})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte("[profile cairn-test]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	body := "[cairn-test]\naws_access_key_id = " + testAccessKey + "\naws_secret_access_key = " + testSecretKey + "\n"
	if err := os.WriteFile(creds, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	s := openClient(t, s3client.Options{Endpoint: srv.URL, Profile: "cairn-test"})
	mustBucket(t, s, "from-profile")
}

// TestWrongSecretIsAccessDenied maps the server's signature refusal.
func TestWrongSecretIsAccessDenied(t *testing.T) {
	srv := startServer(t, serverConfig{})
	s := openClient(t, s3client.Options{Endpoint: srv.URL, AccessKey: testAccessKey, SecretKey: "not-the-secret"})
	err := s.CreateBucket(t.Context(), "denied", objstore.CreateBucketOptions{})
	if !errors.Is(err, objstore.ErrAccessDenied) {
		t.Fatalf("create bucket with a wrong secret: %v, want AccessDenied", err)
	}
	_, err = s.HeadObject(t.Context(), "denied", "k", objstore.GetOptions{})
	if !errors.Is(err, objstore.ErrAccessDenied) {
		t.Fatalf("head with a wrong secret (no error body): %v, want AccessDenied", err)
	}
}

// TestVirtualHostStyle addresses buckets as bucket.DOMAIN through a
// caller's HTTP client that resolves every name to the test server.
func TestVirtualHostStyle(t *testing.T) {
	srv := startServer(t, serverConfig{domains: []string{"s3.cairn.test"}})
	addr := srv.Listener.Addr().String()
	var (
		mu    sync.Mutex
		hosts []string
	)
	dial := &net.Dialer{}
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, host string) (net.Conn, error) {
			mu.Lock()
			hosts = append(hosts, host)
			mu.Unlock()
			return dial.DialContext(ctx, network, addr)
		},
		MaxConnsPerHost: 1,
	}}
	_, port, _ := net.SplitHostPort(addr)
	s := openClient(t, s3client.Options{
		Endpoint: "http://s3.cairn.test:" + port, VirtualHostStyle: true, HTTPClient: client,
	})
	mustBucket(t, s, "vhost")
	if _, err := s.PutObject(t.Context(), "vhost", "dir/k", strings.NewReader("hi"), objstore.PutOptions{Size: 2}); err != nil {
		t.Fatal(err)
	}
	if got := readObject(t, s, "vhost", "dir/k"); string(got) != "hi" {
		t.Fatalf("read back %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hosts) == 0 || hosts[0] != "vhost.s3.cairn.test:"+port {
		t.Fatalf("dialled %v, want vhost.s3.cairn.test:%s", hosts, port)
	}
}
