package s3client_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/cairnfs/cairn/objstore/s3client"
	"github.com/cairnfs/cairn/objstore/storetest"
)

// Test credentials of the loopback server.
const (
	testAccessKey = "CAIRNTESTACCESSKEY01"
	testSecretKey = "cairn-test-secret-key-0123456789abcdefghij"
)

// TestConformance runs the Store suite through the client, over loopback
// HTTP, against cairn's S3 server on the disk engine: one run that proves
// the client, the server and the engine together.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) objstore.Store {
		return newLoopbackStore(t, s3client.Options{})
	})
}

// newLoopbackStore serves a fresh disk store over S3 on 127.0.0.1 and
// returns a client store on it, with opts' other settings. The server
// stops when t ends; the caller (or the suite) closes the client.
func newLoopbackStore(t *testing.T, opts s3client.Options) *s3client.Store {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := disk.Open(t.TempDir(), disk.Options{Logger: quiet})
	if err != nil {
		t.Fatalf("open disk store: %v", err)
	}
	srv := httptest.NewServer(s3api.New(engine, s3api.Config{
		Root:   s3api.Credential{AccessKey: testAccessKey, SecretKey: testSecretKey},
		Logger: quiet,
	}))
	t.Cleanup(func() {
		srv.Close()
		if err := engine.Close(); err != nil {
			t.Errorf("close disk store: %v", err)
		}
	})
	opts.Endpoint = srv.URL
	opts.AccessKey, opts.SecretKey = testAccessKey, testSecretKey
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	opts.TempDir = t.TempDir()
	s, err := s3client.New(context.Background(), opts)
	if err != nil {
		t.Fatalf("new client store: %v", err)
	}
	return s
}
