// Package storetest is the conformance suite of objstore.Store: one set of
// tests, written to S3's documented behaviour, that every implementation
// must pass (the embedded disk engine directly, and the S3 client talking
// to the S3 server over loopback).
//
// A backend's test calls Run with a function that opens a fresh, empty
// store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) objstore.Store {
//			s, err := disk.Open(t.TempDir(), disk.Options{})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The suite speaks to the store only through objstore.Store, so it holds
// every backend to the same semantics.
package storetest

import (
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// testCase is one conformance case. It runs against the store the suite
// shares between cases, inside buckets of its own, or against a fresh
// store when it needs one (env.freshStore).
type testCase struct {
	name string
	run  func(e *env)
}

// area groups the cases of one part of the contract.
type area struct {
	name  string
	cases []testCase
}

// areas lists every part of the contract the suite covers.
func areas() []area {
	return []area{
		{"Buckets", bucketCases()},
		{"Objects", objectCases()},
		{"Metadata", metadataCases()},
		{"Checksums", checksumCases()},
		{"Ranges", rangeCases()},
		{"Tagging", taggingCases()},
		{"Listing", listingCases()},
		{"Versioning", versioningCases()},
		{"Multipart", multipartCases()},
		{"Conditional", conditionalCases()},
		{"Copy", copyCases()},
		{"Concurrency", concurrencyCases()},
		{"Store", storeCases()},
	}
}

// Run runs the conformance suite against stores made by newStore; each call
// of newStore must return a fresh, empty store, closed by the suite via t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) objstore.Store) {
	shared := openStore(t, newStore)
	for _, a := range areas() {
		t.Run(a.name, func(t *testing.T) {
			for _, c := range a.cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(newEnv(t, shared, newStore))
				})
			}
		})
	}
}

// openStore opens a store with newStore and closes it when t ends.
func openStore(t *testing.T, newStore func(t *testing.T) objstore.Store) objstore.Store {
	t.Helper()
	s := newStore(t)
	if s == nil {
		t.Fatal("newStore returned a nil store")
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}
