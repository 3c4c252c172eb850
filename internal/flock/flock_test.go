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

// TestWaitBlocksUntilReleased: Wait on a held lock returns once the
// holder lets go, and Lock fails while Wait holds it.
func TestWaitBlocksUntilReleased(t *testing.T) {
	if !Supported {
		t.Skip("no flock on this platform")
	}
	path := filepath.Join(t.TempDir(), "LOCK")
	f, err := Wait(path)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		g, err := Wait(path)
		if err == nil {
			g.Close()
		}
		got <- err
	}()
	if _, err := Lock(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock while Wait holds it: %v, want ErrLocked", err)
	}
	select {
	case err := <-got:
		t.Fatalf("second Wait returned (%v) while the lock was held", err)
	default:
	}
	f.Close()
	if err := <-got; err != nil {
		t.Fatalf("second Wait after release: %v", err)
	}
}
