package disk

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lock"
)

// lockedBucket creates a bucket with object lock and the given
// configuration document (none: no default retention).
func lockedBucket(t *testing.T, s *Store, name, doc string) {
	t.Helper()
	ctx := context.Background()
	if err := s.CreateBucket(ctx, name, objstore.CreateBucketOptions{ObjectLockEnabled: true}); err != nil {
		t.Fatal(err)
	}
	if doc != "" {
		if err := s.PutObjectLockConfig(ctx, name, []byte(doc)); err != nil {
			t.Fatal(err)
		}
	}
}

func putLocked(t *testing.T, s *Store, bucket, key string, l objstore.ObjectLock) objstore.ObjectInfo {
	t.Helper()
	info, err := s.PutObject(context.Background(), bucket, key, strings.NewReader("data"), objstore.PutOptions{Size: 4, Lock: l})
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
	return info
}

func TestObjectLockBucketStaysVersioned(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	ctx := context.Background()
	lockedBucket(t, s, "locked", "")
	if v, _ := s.GetBucketVersioning(ctx, "locked"); v != objstore.VersioningEnabled {
		t.Fatalf("versioning of a locked bucket is %q", v)
	}
	if err := s.PutBucketVersioning(ctx, "locked", objstore.VersioningSuspended); !errors.Is(err, lock.ErrVersioningLocked) {
		t.Fatalf("suspend versioning of a locked bucket: %v", err)
	}
}

func TestObjectLockRetentionBlocksRemoval(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	ctx := context.Background()
	lockedBucket(t, s, "locked", "")
	until := time.Now().Add(time.Hour)
	comp := putLocked(t, s, "locked", "c", objstore.ObjectLock{Mode: objstore.LockCompliance, RetainUntil: until})
	gov := putLocked(t, s, "locked", "g", objstore.ObjectLock{Mode: objstore.LockGovernance, RetainUntil: until})
	hold := putLocked(t, s, "locked", "h", objstore.ObjectLock{LegalHold: true})
	for _, c := range []struct {
		info   objstore.ObjectInfo
		bypass bool
	}{{comp, true}, {gov, false}, {hold, true}} {
		_, err := s.DeleteObject(ctx, "locked", c.info.Key, objstore.DeleteOptions{VersionID: c.info.VersionID, BypassGovernance: c.bypass})
		if !errors.Is(err, lock.ErrLocked) {
			t.Errorf("delete %s (bypass %v): %v, want ErrLocked", c.info.Key, c.bypass, err)
		}
	}
	if _, err := s.DeleteObject(ctx, "locked", "g", objstore.DeleteOptions{VersionID: gov.VersionID, BypassGovernance: true}); err != nil {
		t.Errorf("delete GOVERNANCE version with bypass: %v", err)
	}
	res, err := s.DeleteObject(ctx, "locked", "c", objstore.DeleteOptions{})
	if err != nil || !res.DeleteMarker {
		t.Errorf("delete without version on a locked bucket: %+v %v, want a delete marker", res, err)
	}
	if err := s.DeleteBucket(ctx, "locked"); err == nil {
		t.Error("a bucket with locked versions was deleted")
	}
}

func TestObjectLockDefaultRetention(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	lockedBucket(t, s, "locked", `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>2</Days></DefaultRetention></Rule></ObjectLockConfiguration>`)
	info := putLocked(t, s, "locked", "k", objstore.ObjectLock{})
	want := info.LastModified.AddDate(0, 0, 2)
	if info.Lock.Mode != objstore.LockCompliance || !info.Lock.RetainUntil.Equal(want) {
		t.Fatalf("default retention: %+v, want COMPLIANCE until %s", info.Lock, want)
	}
	own := putLocked(t, s, "locked", "k2", objstore.ObjectLock{Mode: objstore.LockGovernance, RetainUntil: time.Now().Add(time.Minute).Truncate(time.Second)})
	if own.Lock.Mode != objstore.LockGovernance {
		t.Fatalf("a writer's retention gave way to the default: %+v", own.Lock)
	}
}

func TestObjectLockNeedsLockedBucket(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	ctx := context.Background()
	mkBucket(t, s, "plain")
	_, err := s.PutObject(ctx, "plain", "k", strings.NewReader("data"), objstore.PutOptions{Size: 4, Lock: objstore.ObjectLock{LegalHold: true}})
	if !errors.Is(err, lock.ErrNotEnabled) {
		t.Fatalf("legal hold on a plain bucket: %v", err)
	}
	if err := s.PutObjectLockConfig(ctx, "plain", lock.EnabledConfig()); !errors.Is(err, lock.ErrNeedsVersioning) {
		t.Fatalf("object lock on an unversioned bucket: %v", err)
	}
	if err := s.PutBucketVersioning(ctx, "plain", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	if err := s.PutObjectLockConfig(ctx, "plain", lock.EnabledConfig()); err != nil {
		t.Fatalf("object lock on a versioned bucket: %v", err)
	}
	putLocked(t, s, "plain", "k", objstore.ObjectLock{LegalHold: true})
}

func TestObjectLockMultipart(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	ctx := context.Background()
	lockedBucket(t, s, "locked", "")
	until := time.Now().Add(time.Hour).Truncate(time.Second).UTC()
	id, err := s.CreateMultipartUpload(ctx, "locked", "big", objstore.PutOptions{Lock: objstore.ObjectLock{Mode: objstore.LockCompliance, RetainUntil: until, LegalHold: true}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.UploadPart(ctx, "locked", "big", id, 1, strings.NewReader("part"), objstore.PartOptions{Size: 4})
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.CompleteMultipartUpload(ctx, "locked", "big", id, []objstore.CompletedPart{{PartNumber: 1, ETag: p.ETag}}, objstore.CompleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Lock.Mode != objstore.LockCompliance || !info.Lock.RetainUntil.Equal(until) || !info.Lock.LegalHold {
		t.Fatalf("completed upload's lock %+v, want COMPLIANCE until %s with legal hold", info.Lock, until)
	}
	mkBucket(t, s, "plain")
	if _, err := s.CreateMultipartUpload(ctx, "plain", "big", objstore.PutOptions{Lock: objstore.ObjectLock{LegalHold: true}}); !errors.Is(err, lock.ErrNotEnabled) {
		t.Fatalf("multipart upload with a legal hold on a plain bucket: %v", err)
	}
}

func TestObjectLockCopy(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	ctx := context.Background()
	lockedBucket(t, s, "locked", "")
	src := putLocked(t, s, "locked", "src", objstore.ObjectLock{Mode: objstore.LockCompliance, RetainUntil: time.Now().Add(time.Hour), LegalHold: true})
	plain, err := s.CopyObject(ctx, "locked", "copy", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "locked", Key: "src", VersionID: src.VersionID}})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Lock != (objstore.ObjectLock{}) {
		t.Fatalf("a copy took the source's lock: %+v", plain.Lock)
	}
	held, err := s.CopyObject(ctx, "locked", "held", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "locked", Key: "src"}, Lock: objstore.ObjectLock{LegalHold: true}})
	if err != nil || !held.Lock.LegalHold {
		t.Fatalf("copy with a legal hold: %+v %v", held.Lock, err)
	}
}
