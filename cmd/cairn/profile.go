package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole run to the file that
// $CAIRN_CPUPROFILE names, for diagnosing slow mounts, syncs and
// servers; the returned function ends it. Without the variable it does
// nothing.
func startProfile(getenv func(string) string) (stop func(), err error) {
	path := getenv("CAIRN_CPUPROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("CAIRN_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("CAIRN_CPUPROFILE %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
