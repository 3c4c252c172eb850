package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestRestoreText(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		r    *objstore.RestoreStatus
		want string
	}{
		{nil, ""},
		{&objstore.RestoreStatus{Ongoing: true}, "in progress"},
		{&objstore.RestoreStatus{Expiry: now.Add(time.Hour)}, "readable until "},
		{&objstore.RestoreStatus{Expiry: now.Add(-time.Hour)}, ""},
	}
	for _, c := range cases {
		got := restoreText(c.r, now)
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
			t.Errorf("restoreText(%+v) = %q, want %q…", c.r, got, c.want)
		}
	}
}
