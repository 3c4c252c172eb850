package transfer_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

func keys(t *testing.T, st objstore.Store, prefix string) []string {
	t.Helper()
	var ks []string
	for o, err := range transfer.Objects(context.Background(), st, "bkt", objstore.ListOptions{Prefix: prefix, MaxKeys: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, o.Key)
	}
	return ks
}

func TestObjectsFollowsPages(t *testing.T) {
	st := newStore(t)
	want := []string{"a/1", "a/2", "a/3", "a/4", "a/5"}
	for _, k := range append([]string{"b/1"}, want...) {
		put(t, st, k, []byte(k))
	}
	if got := keys(t, st, "a/"); !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
}

func TestDeletePrefix(t *testing.T) {
	st := newStore(t)
	for _, k := range []string{"a/1", "a/2", "a/sub/3", "ab", "b/1"} {
		put(t, st, k, []byte(k))
	}
	var deleted []string
	if err := transfer.DeletePrefix(context.Background(), st, "bkt", "a/", transfer.Options{}, func(k string) { deleted = append(deleted, k) }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(deleted)
	if want := []string{"a/1", "a/2", "a/sub/3"}; !slices.Equal(deleted, want) {
		t.Errorf("deleted %v, want %v", deleted, want)
	}
	if got := keys(t, st, ""); !slices.Equal(got, []string{"ab", "b/1"}) {
		t.Errorf("left %v, want [ab b/1]", got)
	}
}

func TestEmptyBucketThenDelete(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	if err := st.PutBucketVersioning(ctx, "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	put(t, st, "k", []byte("1"))
	put(t, st, "k", []byte("2"))
	put(t, st, "gone", []byte("3"))
	if _, err := st.DeleteObject(ctx, "bkt", "gone", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateMultipartUpload(ctx, "bkt", "pending", objstore.PutOptions{Size: -1}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteBucket(ctx, "bkt"); !errors.Is(err, objstore.ErrBucketNotEmpty) {
		t.Fatalf("delete of a bucket with versions: %v, want BucketNotEmpty", err)
	}
	if err := transfer.EmptyBucket(ctx, st, "bkt", transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteBucket(ctx, "bkt"); err != nil {
		t.Errorf("delete after EmptyBucket: %v", err)
	}
}
