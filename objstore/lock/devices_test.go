package lock

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
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

// TestDevicesChangedAtOnce adds devices through two Devices of one
// directory (a server and `cairn admin mfa add`) while one of them
// accepts a code: every device added is kept, and so is the record of
// the code accepted, which is not accepted again.
func TestDevicesChangedAtOnce(t *testing.T) {
	dir := t.TempDir()
	dev, err := OpenDevices(dir).Add("root")
	if err != nil {
		t.Fatal(err)
	}
	code, err := TOTP(dev.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	server, admin := OpenDevices(dir), OpenDevices(dir)
	var wg sync.WaitGroup
	users := make([]string, 16)
	for i := range users {
		users[i] = fmt.Sprintf("user%02d", i)
		d := server
		if i%2 == 1 {
			d = admin
		}
		wg.Go(func() {
			if _, err := d.Add(users[i]); err != nil {
				t.Errorf("add %s: %v", users[i], err)
			}
		})
	}
	wg.Go(func() {
		if err := server.VerifyMFA(context.Background(), "root", dev.Serial+" "+code); err != nil {
			t.Errorf("first use of the code: %v", err)
		}
	})
	wg.Wait()
	all, err := admin.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range all {
		got = append(got, d.User)
	}
	if want := append([]string{"root"}, users...); !slices.Equal(got, want) {
		t.Errorf("devices after adding at once: %v, want %v", got, want)
	}
	if err := admin.VerifyMFA(context.Background(), "root", dev.Serial+" "+code); !errors.Is(err, ErrMFA) {
		t.Errorf("second use of the code: %v, want ErrMFA", err)
	}
}
