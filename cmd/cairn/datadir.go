package main

import (
	"path/filepath"
)

// systemDataDir is where root keeps its data.
const systemDataDir = "/var/lib/cairn"

// defaultDataDir picks the data directory when --data is not given:
// $CAIRN_DATA when set, /var/lib/cairn for root, else the XDG data home
// ($XDG_DATA_HOME/cairn, or ~/.local/share/cairn).
func defaultDataDir(getenv func(string) string, uid int) string {
	if d := getenv("CAIRN_DATA"); d != "" {
		return d
	}
	if uid == 0 {
		return systemDataDir
	}
	if x := getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "cairn")
	}
	return filepath.Join(getenv("HOME"), ".local", "share", "cairn")
}
