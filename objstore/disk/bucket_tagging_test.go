package disk

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

func TestBucketTaggingSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "tagged")
	if err := s.PutBucketVersioning(ctx, "tagged", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	want := objstore.Tags{"team": "storage", "cost-center": "42"}
	if err := s.PutBucketTagging(ctx, "tagged", want); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	got, err := s.GetBucketTagging(ctx, "tagged")
	if err != nil || !maps.Equal(got, want) {
		t.Fatalf("bucket tags after reopen: %v %v, want %v", got, err, want)
	}
	if v, _ := s.GetBucketVersioning(ctx, "tagged"); v != objstore.VersioningEnabled {
		t.Fatalf("tagging changed versioning to %q", v)
	}
	if err := s.DeleteBucketTagging(ctx, "tagged"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetBucketTagging(ctx, "tagged"); err != nil || len(got) != 0 {
		t.Fatalf("bucket tags after delete: %v %v", got, err)
	}
	if err := s.PutBucketTagging(ctx, "tagged", objstore.Tags{"aws:reserved": "x"}); !errors.Is(err, objstore.ErrInvalidTag) {
		t.Fatalf("reserved tag key: %v, want InvalidTag", err)
	}
	if _, err := s.GetBucketTagging(ctx, "missing"); !errors.Is(err, objstore.ErrNoSuchBucket) {
		t.Fatalf("tags of a missing bucket: %v, want NoSuchBucket", err)
	}
}
