package s3client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// Test credentials of the loopback server.
const (
	testAccessKey = "CAIRNTESTACCESSKEY01"
	testSecretKey = "cairn-test-secret-key-0123456789abcdefghij"
)

// serverConfig selects how the loopback server listens.
type serverConfig struct {
	tls     bool
	domains []string
}

// startServer serves a fresh disk store over S3 on 127.0.0.1 until t ends.
func startServer(t *testing.T, cfg serverConfig) *httptest.Server {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := disk.Open(t.TempDir(), disk.Options{Logger: quiet})
	if err != nil {
		t.Fatalf("open disk store: %v", err)
	}
	h := s3api.New(engine, s3api.Config{
		Root:    s3api.Credential{AccessKey: testAccessKey, SecretKey: testSecretKey},
		Domains: cfg.domains,
		Logger:  quiet,
	})
	var srv *httptest.Server
	if cfg.tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(func() {
		srv.Close()
		if err := engine.Close(); err != nil {
			t.Errorf("close disk store: %v", err)
		}
	})
	return srv
}

// newClient returns a client store with opts, the test credentials unless
// opts names others, us-east-1 and a temporary directory of the test's.
// The caller closes it, or the suite does.
func newClient(t *testing.T, opts s3client.Options) *s3client.Store {
	t.Helper()
	if opts.AccessKey == "" && opts.Profile == "" {
		opts.AccessKey, opts.SecretKey = testAccessKey, testSecretKey
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	s, err := s3client.New(context.Background(), opts)
	if err != nil {
		t.Fatalf("new client store: %v", err)
	}
	return s
}

// openClient is newClient closed when t ends.
func openClient(t *testing.T, opts s3client.Options) *s3client.Store {
	t.Helper()
	s := newClient(t, opts)
	t.Cleanup(func() { s.Close() })
	return s
}

// mustBucket creates a bucket, failing the test on error.
func mustBucket(t *testing.T, s objstore.Store, name string) {
	t.Helper()
	if err := s.CreateBucket(t.Context(), name, objstore.CreateBucketOptions{}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

// readObject reads a whole object, failing the test on error.
func readObject(t *testing.T, s objstore.Store, bucket, key string) []byte {
	t.Helper()
	obj, err := s.GetObject(t.Context(), bucket, key, objstore.GetOptions{})
	if err != nil {
		t.Fatalf("get %s/%s: %v", bucket, key, err)
	}
	defer obj.Body.Close()
	data, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatalf("read %s/%s: %v", bucket, key, err)
	}
	return data
}

// expectMissing fails the test unless key is absent.
func expectMissing(t *testing.T, s objstore.Store, bucket, key string) {
	t.Helper()
	_, err := s.HeadObject(t.Context(), bucket, key, objstore.GetOptions{})
	if !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Fatalf("head %s/%s: %v, want NoSuchKey", bucket, key, err)
	}
}

// streamOnly hides every method of a reader but Read, as a pipe or a
// socket would: the client cannot seek it or know its length.
type streamOnly struct{ r io.Reader }

func (s streamOnly) Read(p []byte) (int, error) { return s.r.Read(p) }
