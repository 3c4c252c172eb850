package disk

import (
	"bytes"
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// A copy shares the source's bytes (a hard link) yet lives on its own:
// removing the source leaves the copy whole, and removing both leaves no
// file behind.
func TestCopySharesBytesAndOutlivesSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "cpy")
	waitSweep(s)
	data := randBytes(3<<20, 11)
	src := put(t, s, "cpy", "src", data)
	dst, err := s.CopyObject(ctx, "cpy", "dst", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "cpy", Key: "src"}})
	if err != nil {
		t.Fatal(err)
	}
	if dst.ETag != src.ETag || dst.Size != src.Size {
		t.Fatalf("copy info %+v, source %+v", dst, src)
	}
	files := dataFiles(t, dir)
	if len(files) != 2 {
		t.Fatalf("want a file name each, have %v", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Sys().(*syscall.Stat_t).Nlink != 2 {
		t.Fatalf("copy did not share the source's bytes: %v", err)
	}
	if _, err := s.DeleteObject(ctx, "cpy", "src", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "cpy", "dst", objstore.GetOptions{}); !bytes.Equal(got, data) {
		t.Fatal("copy damaged by the source's removal")
	}
	if _, err := s.DeleteObject(ctx, "cpy", "dst", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	s.files.flush()
	if files := dataFiles(t, dir); len(files) != 0 {
		t.Fatalf("files left after both objects went: %v", files)
	}
}

// A part copied from a whole simple object is linked, and the completed
// object reads back the source's bytes.
func TestUploadPartCopyOfWholeObject(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "cpy")
	a, b := randBytes(objstore.MinPartSize, 12), randBytes(1000, 13)
	put(t, s, "cpy", "a", a)
	put(t, s, "cpy", "b", b)
	up, err := s.CreateMultipartUpload(ctx, "cpy", "joined", objstore.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var parts []objstore.CompletedPart
	for i, key := range []string{"a", "b"} {
		opts := objstore.PartCopyOptions{Source: objstore.CopySource{Bucket: "cpy", Key: key}}
		if key == "b" {
			opts.Range = &objstore.Range{First: 10, Last: 99}
		}
		pi, err := s.UploadPartCopy(ctx, "cpy", "joined", up, i+1, opts)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, objstore.CompletedPart{PartNumber: i + 1, ETag: pi.ETag})
	}
	if parts[0].ETag != md5hex(a) || parts[1].ETag != md5hex(b[10:100]) {
		t.Fatalf("part etags %+v", parts)
	}
	if _, err := s.CompleteMultipartUpload(ctx, "cpy", "joined", up, parts, objstore.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte(nil), a...), b[10:100]...)
	if got := get(t, s, "cpy", "joined", objstore.GetOptions{}); !bytes.Equal(got, want) {
		t.Fatal("joined object differs")
	}
	if got := get(t, s, "cpy", "joined", objstore.GetOptions{PartNumber: 2}); !bytes.Equal(got, b[10:100]) {
		t.Fatal("part 2 differs")
	}
}
