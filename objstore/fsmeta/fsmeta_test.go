package fsmeta

import (
	"io/fs"
	"syscall"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	a := Attrs{Mode: syscall.S_IFREG | 0o4750, UID: 7, GID: 8, HasUID: true, HasGID: true, Mtime: time.Unix(1700000000, 0)}
	got := Parse(a.Metadata())
	if got != a {
		t.Fatalf("Parse(Metadata()) = %+v, want %+v", got, a)
	}
	if p, _ := got.Perm(); p != 0o750|fs.ModeSetuid {
		t.Fatalf("Perm = %v", p)
	}
}

func TestParseS3fsValues(t *testing.T) {
	a := Parse(map[string]string{Mode: "33188", Mtime: "1700000000.25", UID: "x"})
	if a.Mode != syscall.S_IFREG|0o644 || a.HasUID || !a.Mtime.Equal(time.Unix(1700000000, 250000000)) {
		t.Fatalf("Parse = %+v", a)
	}
	if a := Parse(map[string]string{Mode: "420"}); a.Mode != syscall.S_IFREG|0o644 {
		t.Fatalf("a mode without type bits is a regular file: %o", a.Mode)
	}
	if _, ok := (Attrs{}).Perm(); ok {
		t.Fatal("Perm of no mode reports one")
	}
}
