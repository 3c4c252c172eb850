package storetest_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/storetest"
)

// TestDisk runs the suite against the embedded engine: the suite's own
// check that its cases hold for a real store.
func TestDisk(t *testing.T) {
	storetest.Run(t, func(t *testing.T) objstore.Store {
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		s, err := disk.Open(t.TempDir(), disk.Options{Logger: logger})
		if err != nil {
			t.Fatalf("open disk store: %v", err)
		}
		return s
	})
}
