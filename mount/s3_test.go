package mount

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3api"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// s3Store serves a disk store over S3 on 127.0.0.1 and returns a client
// of it with the test bucket: a Store that is plain S3 over HTTP.
func s3Store(t *testing.T) objstore.Store {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := disk.Open(t.TempDir(), disk.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	root := s3api.Credential{AccessKey: "mountkey", SecretKey: "mountsecret"}
	srv := httptest.NewServer(s3api.New(engine, s3api.Config{Root: root, Logger: quiet}))
	t.Cleanup(func() {
		srv.Close()
		engine.Close()
	})
	client, err := s3client.New(context.Background(), s3client.Options{
		Endpoint: srv.URL, Region: "us-east-1", AccessKey: root.AccessKey, SecretKey: root.SecretKey, TempDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.CreateBucket(context.Background(), testBucket, objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	return client
}

// TestOverS3 runs the common file operations on a mount of an S3
// endpoint, through the S3 client store, under a prefix.
func TestOverS3(t *testing.T) {
	st := s3Store(t)
	put(t, st, "outside", "not shown", nil)
	_, dir := mountStore(t, st, Options{Prefix: "home/"})
	if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "b", "f.txt"), []byte("over s3"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("b/f.txt", filepath.Join(dir, "a", "l")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "z")); err != nil {
		t.Fatal(err)
	}
	b, info := get(t, st, "home/z/b/f.txt")
	if string(b) != "over s3" || info.UserMetadata["mode"] != strconv.Itoa(syscall.S_IFREG|0o600) {
		t.Errorf("stored %q %v", b, info.UserMetadata)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "z", "l")); err != nil || string(got) != "over s3" {
		t.Errorf("read through the moved link: %q %v", got, err)
	}
	if got := names(t, dir); len(got) != 1 || got[0] != "z" {
		t.Errorf("root lists %v", got)
	}
	if exists(t, st, "home/a/b/f.txt") {
		t.Error("old key left after the directory rename")
	}
}
