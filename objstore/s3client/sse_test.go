package s3client_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/cairnfs/cairn/objstore/s3client"
	"github.com/cairnfs/cairn/objstore/sse"
)

// startEncryptingServer serves over HTTPS a disk store with a key service.
func startEncryptingServer(t *testing.T) *s3client.Store {
	t.Helper()
	dir := t.TempDir()
	keys, err := sse.Open(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := disk.Open(dir, disk.Options{Logger: quiet, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(s3api.New(engine, s3api.Config{
		Root: s3api.Credential{AccessKey: testAccessKey, SecretKey: testSecretKey}, Logger: quiet,
	}))
	t.Cleanup(func() {
		srv.Close()
		engine.Close()
		keys.Close()
	})
	return openClient(t, s3client.Options{Endpoint: srv.URL, CABundle: writeCA(t, srv.Certificate().Raw), MaxAttempts: 1})
}

// The client sends the encryption a caller asks for, and SSE-C keys on
// every request that reads or writes such an object.
func TestClientSendsEncryption(t *testing.T) {
	s := startEncryptingServer(t)
	ctx := t.Context()
	mustBucket(t, s, "enc")
	data := noise(6<<20, 3)
	kms := objstore.Encryption{Algorithm: "aws:kms"}
	info, err := s.PutObject(ctx, "enc", "kms", bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data)), Encryption: kms})
	if err != nil || info.Encryption.Algorithm != "aws:kms" || info.Encryption.KMSKeyID == "" {
		t.Fatalf("put SSE-KMS: %+v, %v", info.Encryption, err)
	}
	key := bytes.Repeat([]byte{9}, 32)
	c := objstore.Encryption{CustomerKey: key}
	if _, err := s.PutObject(ctx, "enc", "c", bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data)), Encryption: c}); err != nil {
		t.Fatalf("put SSE-C: %v", err)
	}
	obj, err := s.GetObject(ctx, "enc", "c", objstore.GetOptions{SSECustomerKey: key})
	if err != nil {
		t.Fatalf("get SSE-C: %v", err)
	}
	got, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if !bytes.Equal(got, data) || obj.Info.Encryption.CustomerKeyMD5 != sse.KeyMD5(key) {
		t.Fatalf("get SSE-C: wrong bytes or encryption %+v", obj.Info.Encryption)
	}
	if _, err := s.HeadObject(ctx, "enc", "c", objstore.GetOptions{}); err == nil {
		t.Fatal("head of an SSE-C object without its key succeeded")
	}
	cp, err := s.CopyObject(ctx, "enc", "s3", objstore.CopyOptions{
		Source: objstore.CopySource{Bucket: "enc", Key: "c", SSECustomerKey: key}, Encryption: objstore.Encryption{Algorithm: "AES256"},
	})
	if err != nil || cp.Encryption.Algorithm != "AES256" {
		t.Fatalf("copy SSE-C to SSE-S3: %+v, %v", cp.Encryption, err)
	}
	id, err := s.CreateMultipartUpload(ctx, "enc", "mp", objstore.PutOptions{Encryption: c})
	if err != nil {
		t.Fatal(err)
	}
	p1, err := s.UploadPart(ctx, "enc", "mp", id, 1, bytes.NewReader(data), objstore.PartOptions{Size: int64(len(data)), SSECustomerKey: key})
	if err != nil {
		t.Fatalf("upload part: %v", err)
	}
	p2, err := s.UploadPartCopy(ctx, "enc", "mp", id, 2, objstore.PartCopyOptions{Source: objstore.CopySource{Bucket: "enc", Key: "kms"}, SSECustomerKey: key})
	if err != nil {
		t.Fatalf("upload part copy: %v", err)
	}
	_, err = s.CompleteMultipartUpload(ctx, "enc", "mp", id, []objstore.CompletedPart{{PartNumber: 1, ETag: p1.ETag}, {PartNumber: 2, ETag: p2.ETag}}, objstore.CompleteOptions{})
	if err != nil {
		t.Fatalf("complete: %v", err)
	}
	head, err := s.HeadObject(ctx, "enc", "mp", objstore.GetOptions{SSECustomerKey: key})
	if err != nil || head.Size != int64(2*len(data)) {
		t.Fatalf("head of the SSE-C multipart object: %+v, %v", head, err)
	}
	if _, err := s.GetObject(ctx, "enc", "mp", objstore.GetOptions{SSECustomerKey: bytes.Repeat([]byte{1}, 32)}); !errors.Is(err, objstore.ErrAccessDenied) {
		t.Fatalf("get with the wrong key: %v", err)
	}
}
