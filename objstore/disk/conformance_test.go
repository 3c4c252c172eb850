package disk_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/storetest"
)

// TestConformance holds the engine to the Store contract.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) objstore.Store {
		s, err := disk.Open(t.TempDir(), disk.Options{Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
