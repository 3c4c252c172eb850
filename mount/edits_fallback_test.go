package mount

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// noPartCopy is a Store without UploadPartCopy, as some S3
// implementations are: it answers err, and counts the parts sent.
type noPartCopy struct {
	partCounter
	err error
}

func (s *noPartCopy) UploadPartCopy(ctx context.Context, bucket, key, id string, n int, opts objstore.PartCopyOptions) (objstore.PartInfo, error) {
	s.copied.Add(1)
	return objstore.PartInfo{}, fmt.Errorf("upload part copy: %w", s.err)
}

// TestEditWithoutPartCopy edits a large object, twice, on stores that
// cannot copy parts: the close succeeds and the whole edited file is
// stored, its unchanged parts sent instead of copied.
func TestEditWithoutPartCopy(t *testing.T) {
	for _, refusal := range []error{objstore.ErrNotImplemented, objstore.ErrMissingContentLength} {
		t.Run(objstore.AsError(refusal).Code, func(t *testing.T) {
			st := &noPartCopy{partCounter: partCounter{Store: newStore(t)}, err: refusal}
			ref := make([]byte, 16<<20)
			rand.New(rand.NewSource(8)).Read(ref)
			put(t, st, "big", string(ref), nil)
			fsys, dir := mountStore(t, st, Options{PartSize: 5 << 20})
			for i, off := range []int{6<<20 + 5, 15 << 20} {
				st.sent.Store(0)
				edit := fmt.Sprintf("edit %d", i)
				f, err := os.OpenFile(filepath.Join(dir, "big"), os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.WriteAt([]byte(edit), int64(off)); err != nil {
					t.Fatal(err)
				}
				if err := f.Close(); err != nil {
					t.Fatalf("close after edit %d on a store without part copies: %v", i, err)
				}
				copy(ref[off:], edit)
				settle(t, fsys)
				if b, _ := get(t, st, "big"); !bytes.Equal(b, ref) {
					t.Fatalf("after edit %d the store holds %d bytes that differ from the edited file", i, len(b))
				}
				if s := st.sent.Load(); s != 4 {
					t.Errorf("edit %d sent %d parts, want all 4", i, s)
				}
			}
		})
	}
}
