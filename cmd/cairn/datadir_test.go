package main

import "testing"

func TestDefaultDataDir(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		uid  int
		want string
	}{
		{map[string]string{"HOME": "/home/ann"}, 1000, "/home/ann/.local/share/cairn"},
		{map[string]string{"HOME": "/home/ann", "XDG_DATA_HOME": "/data/ann"}, 1000, "/data/ann/cairn"},
		{map[string]string{"HOME": "/home/ann", "XDG_DATA_HOME": "relative"}, 1000, "/home/ann/.local/share/cairn"},
		{map[string]string{"HOME": "/root", "XDG_DATA_HOME": "/root/.xdg"}, 0, "/var/lib/cairn"},
		{map[string]string{"HOME": "/root", "CAIRN_DATA": "/srv/cairn"}, 0, "/srv/cairn"},
		{map[string]string{"HOME": "/home/ann", "CAIRN_DATA": "/srv/cairn"}, 1000, "/srv/cairn"},
	} {
		getenv := func(k string) string { return tc.env[k] }
		if got := defaultDataDir(getenv, tc.uid); got != tc.want {
			t.Errorf("env %v uid %d: %q, want %q", tc.env, tc.uid, got, tc.want)
		}
	}
}
