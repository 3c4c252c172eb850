package sse_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/sse"
)

// A store with write defaults encrypts and classes what it writes, and
// still reads the objects of the bucket written without its SSE-C key.
func TestApplyWriteDefaults(t *testing.T) {
	dir := t.TempDir()
	keys, err := sse.Open(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	engine, err := disk.Open(dir, disk.Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	ctx := context.Background()
	engine.CreateBucket(ctx, "bkt", objstore.CreateBucketOptions{})
	engine.PutObject(ctx, "bkt", "old", bytes.NewReader([]byte("old")), objstore.PutOptions{Size: 3})
	key := bytes.Repeat([]byte{5}, 32)
	st := sse.Apply(engine, sse.WriteDefaults{Encryption: objstore.Encryption{CustomerKey: key}, StorageClass: "STANDARD_IA"})
	info, err := st.PutObject(ctx, "bkt", "new", bytes.NewReader([]byte("new")), objstore.PutOptions{Size: 3})
	if err != nil || info.Encryption.CustomerKeyMD5 != sse.KeyMD5(key) || info.StorageClass != "STANDARD_IA" {
		t.Fatalf("put through the defaults: %+v, %v", info, err)
	}
	for _, k := range []string{"old", "new"} {
		obj, err := st.GetObject(ctx, "bkt", k, objstore.GetOptions{})
		if err != nil {
			t.Fatalf("get %s: %v", k, err)
		}
		b, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if string(b) != k {
			t.Fatalf("get %s: %q", k, b)
		}
	}
	if _, err := st.CopyObject(ctx, "bkt", "moved", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "bkt", Key: "new"}}); err != nil {
		t.Fatalf("copy through the defaults: %v", err)
	}
	if _, err := engine.HeadObject(ctx, "bkt", "moved", objstore.GetOptions{}); err == nil {
		t.Fatal("the copy is readable without the SSE-C key")
	}
}
