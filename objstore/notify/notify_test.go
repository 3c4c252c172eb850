package notify

import (
	"context"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

func TestChangesFireOnWritesOnly(t *testing.T) {
	ctx := context.Background()
	base, err := disk.Open(t.TempDir(), disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	if err := base.CreateBucket(ctx, "bkt", objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	st := Wrap(base)
	fired := func() bool {
		select {
		case <-st.Changes():
			return true
		default:
			return false
		}
	}
	if _, err := st.PutObject(ctx, "bkt", "k", strings.NewReader("x"), objstore.PutOptions{Size: 1}); err != nil {
		t.Fatal(err)
	}
	st.PutObject(ctx, "bkt", "k2", strings.NewReader("y"), objstore.PutOptions{Size: 1})
	if !fired() || fired() {
		t.Fatal("two puts should coalesce into exactly one signal")
	}
	if _, err := st.HeadObject(ctx, "bkt", "k", objstore.GetOptions{}); err != nil || fired() {
		t.Fatalf("a read signalled (err %v)", err)
	}
	if _, err := st.PutObject(ctx, "nobucket", "k", strings.NewReader("x"), objstore.PutOptions{Size: 1}); err == nil || fired() {
		t.Fatal("a failed put signalled")
	}
	if _, err := st.DeleteObject(ctx, "bkt", "k", objstore.DeleteOptions{}); err != nil || !fired() {
		t.Fatalf("a delete did not signal (err %v)", err)
	}
}
