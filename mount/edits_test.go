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
	_, dir := mountStore(t, st, Options{PartSize: 5 << 20})
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
	b, info := get(t, st, "big")
	if !bytes.Equal(b, ref) || info.PartsCount != 4 {
		t.Errorf("stored %d bytes in %d parts; equal to the edit: %v", len(b), info.PartsCount, bytes.Equal(b, ref))
	}
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
	if b, _ := get(t, st, "big"); !bytes.Equal(b, ref) {
		t.Errorf("after append: %d bytes, not the %d expected", len(b), len(ref))
	}
	if s, c := st.sent.Load(), st.copied.Load(); s != 1 || c != 3 {
		t.Errorf("append sent %d parts and copied %d, want 1 and 3", s, c)
	}
}
