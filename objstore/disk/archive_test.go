package disk

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// TestArchivedReadsNeedRestore: a GLACIER version answers GET and copies
// with InvalidObjectState until a completed restore's copy is there, and
// again once that copy has expired; HEAD always works; GLACIER_IR reads
// at once.
func TestArchivedReadsNeedRestore(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "bkt")
	for _, c := range []objstore.StorageClass{"GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"} {
		opts := objstore.PutOptions{Size: 4, ObjectMeta: objstore.ObjectMeta{StorageClass: c}}
		if _, err := s.PutObject(ctx, "bkt", string(c), strings.NewReader("data"), opts); err != nil {
			t.Fatal(err)
		}
	}
	if got := get(t, s, "bkt", "GLACIER_IR", objstore.GetOptions{}); string(got) != "data" {
		t.Errorf("GLACIER_IR read %q", got)
	}
	setRestore := func(r *objstore.RestoreStatus) {
		t.Helper()
		if _, err := s.UpdateVersion(ctx, "bkt", "GLACIER", "", func(oi *objstore.ObjectInfo) error { oi.Restore = r; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	refused := func(when string) {
		t.Helper()
		if _, err := s.GetObject(ctx, "bkt", "GLACIER", objstore.GetOptions{}); !errors.Is(err, objstore.ErrInvalidObjectState) {
			t.Errorf("%s: GET error = %v, want InvalidObjectState", when, err)
		}
		src := objstore.CopySource{Bucket: "bkt", Key: "GLACIER"}
		if _, err := s.CopyObject(ctx, "bkt", "copy", objstore.CopyOptions{Source: src}); !errors.Is(err, objstore.ErrInvalidObjectState) {
			t.Errorf("%s: copy error = %v, want InvalidObjectState", when, err)
		}
		if _, err := s.HeadObject(ctx, "bkt", "GLACIER", objstore.GetOptions{}); err != nil {
			t.Errorf("%s: HEAD error = %v", when, err)
		}
	}
	refused("never restored")
	if _, err := s.GetObject(ctx, "bkt", "DEEP_ARCHIVE", objstore.GetOptions{}); !errors.Is(err, objstore.ErrInvalidObjectState) {
		t.Errorf("DEEP_ARCHIVE GET error = %v", err)
	}
	setRestore(&objstore.RestoreStatus{Ongoing: true})
	refused("restore ongoing")
	setRestore(&objstore.RestoreStatus{Expiry: time.Now().Add(time.Hour)})
	if got := get(t, s, "bkt", "GLACIER", objstore.GetOptions{}); string(got) != "data" {
		t.Errorf("restored read %q", got)
	}
	setRestore(&objstore.RestoreStatus{Expiry: time.Now().Add(-time.Second)})
	refused("restored copy expired")
}
