package disk

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestBucketConfigSurvivesReopenAndGoesWithBucket(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "bkt")
	if _, ok, err := s.GetBucketConfig(ctx, "bkt", "cors"); err != nil || ok {
		t.Fatalf("fresh bucket has cors config: ok=%v err=%v", ok, err)
	}
	if err := s.PutBucketConfig(ctx, "bkt", "cors", []byte("<CORSConfiguration/>")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBucketConfig(ctx, "bkt", "policy", []byte(`{"Version":"2012-10-17"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucketConfig(ctx, "bkt", "policy"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	doc, ok, err := s.GetBucketConfig(ctx, "bkt", "cors")
	if err != nil || !ok || string(doc) != "<CORSConfiguration/>" {
		t.Fatalf("cors after reopen = %q %v %v", doc, ok, err)
	}
	if _, ok, _ := s.GetBucketConfig(ctx, "bkt", "policy"); ok {
		t.Fatal("deleted policy came back")
	}
	if err := s.DeleteBucket(ctx, "bkt"); err != nil {
		t.Fatal(err)
	}
	mkBucket(t, s, "bkt")
	if _, ok, _ := s.GetBucketConfig(ctx, "bkt", "cors"); ok {
		t.Fatal("a recreated bucket inherited the old bucket's cors")
	}
	if _, _, err := s.GetBucketConfig(ctx, "nope", "cors"); !errors.Is(err, objstore.ErrNoSuchBucket) {
		t.Fatalf("missing bucket: %v", err)
	}
}

func TestUpdateVersionChangesOnlyAttributes(t *testing.T) {
	ctx, dir := context.Background(), t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "bkt")
	if err := s.PutBucketVersioning(ctx, "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	old := put(t, s, "bkt", "k", []byte("one"))
	put(t, s, "bkt", "k", []byte("two"))
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	_, err := s.UpdateVersion(ctx, "bkt", "k", old.VersionID, func(oi *objstore.ObjectInfo) error {
		oi.Lock = objstore.ObjectLock{Mode: objstore.LockCompliance, RetainUntil: until, LegalHold: true}
		oi.StorageClass, oi.ReplicationStatus = "GLACIER_IR", "COMPLETED"
		oi.Restore = &objstore.RestoreStatus{Ongoing: true}
		oi.Size = 99 // not an attribute: ignored
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	got, err := s.HeadObject(ctx, "bkt", "k", objstore.GetOptions{VersionID: old.VersionID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Lock.Mode != objstore.LockCompliance || !got.Lock.RetainUntil.Equal(until) || !got.Lock.LegalHold {
		t.Errorf("lock = %+v", got.Lock)
	}
	if got.StorageClass != "GLACIER_IR" || got.ReplicationStatus != "COMPLETED" || got.Restore == nil || !got.Restore.Ongoing {
		t.Errorf("attrs = %s %s %+v", got.StorageClass, got.ReplicationStatus, got.Restore)
	}
	if got.Size != 3 {
		t.Errorf("size changed to %d", got.Size)
	}
	if b := get(t, s, "bkt", "k", objstore.GetOptions{VersionID: old.VersionID}); string(b) != "one" {
		t.Errorf("data = %q", b)
	}
	cur, _ := s.HeadObject(ctx, "bkt", "k", objstore.GetOptions{})
	if cur.Lock.Mode != "" || cur.StorageClass == "GLACIER_IR" {
		t.Errorf("current version changed too: %+v %s", cur.Lock, cur.StorageClass)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateVersion(ctx, "bkt", "k", "", func(*objstore.ObjectInfo) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("change error = %v", err)
	}
}
