package lock

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestVerifyMFAReplay: a code is accepted once, by the same Devices and
// by one opened afresh on the directory (a restarted server); a code of
// another step in the window is still accepted.
func TestVerifyMFAReplay(t *testing.T) {
	dir := t.TempDir()
	dev, err := OpenDevices(dir).Add("root")
	if err != nil {
		t.Fatal(err)
	}
	header := func(at time.Time) string {
		code, err := TOTP(dev.Secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return dev.Serial + " " + code
	}
	ctx := context.Background()
	now := time.Now()
	d := OpenDevices(dir)
	if err := d.VerifyMFA(ctx, "root", header(now)); err != nil {
		t.Fatalf("first use of the current code: %v", err)
	}
	if err := d.VerifyMFA(ctx, "root", header(now)); !errors.Is(err, ErrMFA) {
		t.Fatalf("second use of the current code: %v, want ErrMFA", err)
	}
	if err := OpenDevices(dir).VerifyMFA(ctx, "root", header(now)); !errors.Is(err, ErrMFA) {
		t.Fatalf("use of the current code after a reopen: %v, want ErrMFA", err)
	}
	next := now.Add(totpStep)
	if err := OpenDevices(dir).VerifyMFA(ctx, "root", header(next)); err != nil {
		t.Fatalf("first use of the next step's code: %v", err)
	}
}

// TestUseStep: steps older than the window are dropped.
func TestUseStep(t *testing.T) {
	got := useStep([]int64{5, 8, 9}, 10, 10)
	want := []int64{9, 10}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("useStep = %v, want %v", got, want)
	}
}
