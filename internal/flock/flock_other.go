//go:build !unix

package flock

import (
	"fmt"
	"os"
)

// Lock opens path without locking it: where flock is missing, callers
// must not share what it guards (see Supported).
func Lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	return f, nil
}

// Supported tells whether Lock excludes other users on this platform.
const Supported = false

// Wait opens path without locking it, as Lock does.
func Wait(path string) (*os.File, error) {
	return Lock(path)
}
