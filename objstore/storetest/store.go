package storetest

import (
	"github.com/cairnfs/cairn/objstore"
)

func storeCases() []testCase {
	return []testCase{
		{"CallsAfterCloseFail", testStoreClosed},
		{"FreshStoreIsEmpty", testStoreFresh},
	}
}

func testStoreClosed(e *env) {
	s := e.newStore(e.t)
	closed := false
	e.t.Cleanup(func() {
		if !closed {
			s.Close()
		}
	})
	if err := s.CreateBucket(e.ctx, "closing", objstore.CreateBucketOptions{}); err != nil {
		e.t.Fatalf("create bucket: %v", err)
	}
	closed = true
	if err := s.Close(); err != nil {
		e.t.Fatalf("close: %v", err)
	}
	_, err := s.HeadBucket(e.ctx, "closing")
	mustErr(e.t, err, objstore.ErrStoreClosed)
	_, err = s.ListBuckets(e.ctx)
	mustErr(e.t, err, objstore.ErrStoreClosed)
}

func testStoreFresh(e *env) {
	s := e.freshStore()
	buckets, err := s.ListBuckets(e.ctx)
	mustOK(e.t, err, "list buckets")
	if len(buckets) != 0 {
		e.t.Fatalf("a fresh store holds %d buckets", len(buckets))
	}
	_, err = s.HeadBucket(e.ctx, bucketName(e.t.Name(), 0))
	mustErr(e.t, err, objstore.ErrNoSuchBucket)
}
