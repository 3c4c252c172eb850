package transfer

import (
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

func TestPartSizeKeepsWithinMaxParts(t *testing.T) {
	o := Options{}.withDefaults()
	for _, size := range []int64{0, 1, 70 << 20, 80 << 30, 100 << 30, objstore.MaxObjectSize} {
		ps := o.partSize(size)
		if ps < objstore.MinPartSize || ps > objstore.MaxPartSize {
			t.Errorf("size %d: part size %d out of S3's bounds", size, ps)
		}
		if parts := (size + ps - 1) / ps; parts > objstore.MaxPartNumber {
			t.Errorf("size %d: %d parts of %d bytes", size, parts, ps)
		}
	}
}

func TestStreamPartSizeReachesMaxObjectSize(t *testing.T) {
	o := Options{}.withDefaults()
	var total int64
	for n := 1; n <= objstore.MaxPartNumber; n++ {
		ps := o.streamPartSize(n)
		if ps < objstore.MinPartSize || ps > objstore.MaxPartSize {
			t.Fatalf("part %d: size %d out of S3's bounds", n, ps)
		}
		total += ps
	}
	if total < objstore.MaxObjectSize {
		t.Errorf("a stream of unknown size can reach only %d bytes, want %d", total, int64(objstore.MaxObjectSize))
	}
}
