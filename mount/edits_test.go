package mount

import (
	"bytes"
	"context"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// partCounter is a Store that counts the parts sent and copied.
type partCounter struct {
	objstore.Store
	sent, copied atomic.Int32
}

func (c *partCounter) UploadPart(ctx context.Context, bucket, key, id string, n int, body io.Reader, opts objstore.PartOptions) (objstore.PartInfo, error) {
	c.sent.Add(1)
	return c.Store.UploadPart(ctx, bucket, key, id, n, body, opts)
}

func (c *partCounter) UploadPartCopy(ctx context.Context, bucket, key, id string, n int, opts objstore.PartCopyOptions) (objstore.PartInfo, error) {
	c.copied.Add(1)
	return c.Store.UploadPartCopy(ctx, bucket, key, id, n, opts)
}

// TestEditReusesParts edits a few bytes of a large object and appends to
// it: only the parts holding changes are sent, the others are copied.
func TestEditReusesParts(t *testing.T) {
	st := &partCounter{Store: newStore(t)}
	ref := make([]byte, 16<<20)
	rand.New(rand.NewSource(5)).Read(ref)
	put(t, st, "big", string(ref), nil)
	fsys, dir := mountStore(t, st, Options{PartSize: 5 << 20})
	f, err := os.OpenFile(filepath.Join(dir, "big"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("edited"), 6<<20+5); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	copy(ref[6<<20+5:], "edited")
	settle(t, fsys)
	storedInParts(t, st, "big", ref, 4)
	if s, c := st.sent.Load(), st.copied.Load(); s != 1 || c != 3 {
		t.Errorf("sent %d parts and copied %d, want 1 and 3", s, c)
	}

	st.sent.Store(0)
	st.copied.Store(0)
	f, err = os.OpenFile(filepath.Join(dir, "big"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("tail")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ref = append(ref, "tail"...)
	settle(t, fsys)
	if b, _ := get(t, st, "big"); !bytes.Equal(b, ref) {
		t.Errorf("after append: %d bytes, not the %d expected", len(b), len(ref))
	}
	if s, c := st.sent.Load(), st.copied.Load(); s != 1 || c != 3 {
		t.Errorf("append sent %d parts and copied %d, want 1 and 3", s, c)
	}
}

// TestSequentialWriteUploadsEarly writes a large file in order: its
// multipart upload is under way before the file is closed, and the
// close sends only the tail.
func TestSequentialWriteUploadsEarly(t *testing.T) {
	st := &partCounter{Store: newStore(t)}
	fsys, dir := mountStore(t, st, Options{PartSize: 5 << 20})
	ref := make([]byte, 12<<20+7)
	rand.New(rand.NewSource(6)).Read(ref)
	f, err := os.Create(filepath.Join(dir, "seq"))
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(ref); off += 1 << 20 {
		if _, err := f.Write(ref[off:min(off+1<<20, len(ref))]); err != nil {
			t.Fatal(err)
		}
	}
	ups, err := st.ListMultipartUploads(context.Background(), testBucket, objstore.ListUploadsOptions{})
	if err != nil || len(ups.Uploads) != 1 || ups.Uploads[0].Key != "seq" {
		t.Errorf("uploads under way before close: %+v %v", ups.Uploads, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	storedInParts(t, st, "seq", ref, 3)
	if s := st.sent.Load(); s != 3 {
		t.Errorf("sent %d parts, want 3 (each once)", s)
	}
	if ups, _ := st.ListMultipartUploads(context.Background(), testBucket, objstore.ListUploadsOptions{}); len(ups.Uploads) != 0 {
		t.Errorf("uploads left: %+v", ups.Uploads)
	}
}

// TestRandomWriteAbandonsEarlyUpload writes a large file in order, then
// goes back: the early upload is dropped and the file stored whole.
func TestRandomWriteAbandonsEarlyUpload(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{PartSize: 5 << 20})
	ref := make([]byte, 11<<20)
	rand.New(rand.NewSource(7)).Read(ref)
	f, err := os.Create(filepath.Join(dir, "r"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(ref); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("back"), 100); err != nil {
		t.Fatal(err)
	}
	copy(ref[100:], "back")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	settle(t, fsys)
	if b, _ := get(t, st, "r"); !bytes.Equal(b, ref) {
		t.Errorf("stored %d bytes differ", len(b))
	}
	if ups, _ := st.ListMultipartUploads(context.Background(), testBucket, objstore.ListUploadsOptions{}); len(ups.Uploads) != 0 {
		t.Errorf("uploads left: %+v", ups.Uploads)
	}
}
