package flock

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestSecondLockFailsUntilReleased(t *testing.T) {
	if !Supported {
		t.Skip("no flock on this platform")
	}
	path := filepath.Join(t.TempDir(), "LOCK")
	f, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock: %v, want ErrLocked", err)
	}
	f.Close()
	g, err := Lock(path)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	g.Close()
}
