package s3client_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// TestLoopbackSendsUnsignedPayload puts a rewindable body to a server on
// 127.0.0.1 over plain HTTP: it goes as UNSIGNED-PAYLOAD (read once, not
// hashed first), and is stored whole.
func TestLoopbackSendsUnsignedPayload(t *testing.T) {
	srv := startServer(t, serverConfig{})
	var mu sync.Mutex
	var sent []string
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Path == "/unsigned/k" {
			mu.Lock()
			sent = append(sent, r.Header.Get("X-Amz-Content-Sha256"))
			mu.Unlock()
		}
		inner.ServeHTTP(w, r)
	})
	s := openClient(t, s3client.Options{Endpoint: srv.URL})
	mustBucket(t, s, "unsigned")
	data := noise(1<<20, 3)
	info, err := s.PutObject(t.Context(), "unsigned", "k", bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data))})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if info.ETag != md5hex(data) {
		t.Fatalf("put: ETag %q, want %q", info.ETag, md5hex(data))
	}
	if got := readObject(t, s, "unsigned", "k"); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes that differ from the %d put", len(got), len(data))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 1 || sent[0] != "UNSIGNED-PAYLOAD" {
		t.Fatalf("x-amz-content-sha256 of the PUTs: %q, want one UNSIGNED-PAYLOAD", sent)
	}
}
