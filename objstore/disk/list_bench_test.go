package disk

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// BenchmarkListPage measures one 1000-key page of a 20,000-key bucket.
func BenchmarkListPage(b *testing.B) {
	ctx := context.Background()
	s, err := Open(b.TempDir(), Options{Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateBucket(ctx, "bench", objstore.CreateBucketOptions{}); err != nil {
		b.Fatal(err)
	}
	err = parallel(20000, 64, func(i int) error {
		key := fmt.Sprintf("d%05d/f%03d", i/500, i%500)
		_, err := s.PutObject(ctx, "bench", key, bytes.NewReader(nil), objstore.PutOptions{})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := s.ListObjects(ctx, "bench", objstore.ListOptions{StartAfter: "d00010/f000"})
		if err != nil || len(res.Objects) != 1000 {
			b.Fatalf("%d objects, %v", len(res.Objects), err)
		}
	}
}
