package main

import (
	"slices"
	"testing"
)

func TestMountHelperArgs(t *testing.T) {
	cases := []struct {
		in   []string
		want []string
	}{
		{[]string{"photos", "/mnt/p"}, []string{"mount", "photos", "/mnt/p"}},
		{[]string{"s3://photos/2026", "/mnt/p", "-o", "rw,ro,allow_other,uid=1000,file_mode=0640,_netdev,noauto,x-systemd.automount"},
			[]string{"mount", "--read-only", "--allow-other", "--uid=1000", "--file-mode=0640", "s3://photos/2026", "/mnt/p"}},
		{[]string{"-s", "b", "/m", "-oendpoint=http://127.0.0.1:9000,data=/var/lib/cairn"},
			[]string{"mount", "--endpoint=http://127.0.0.1:9000", "--data=/var/lib/cairn", "b", "/m"}},
	}
	for _, c := range cases {
		got, err := mountHelperArgs(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("mountHelperArgs(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := mountHelperArgs([]string{"only-one"}); err == nil {
		t.Error("one positional argument accepted")
	}
	if !isMountHelper("/sbin/mount.cairn") || isMountHelper("/usr/bin/cairn") {
		t.Error("isMountHelper")
	}
}
