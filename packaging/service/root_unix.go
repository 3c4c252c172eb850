//go:build !windows

package service

import "os"

// isRoot tells whether the process may change system services.
func isRoot() bool { return os.Geteuid() == 0 }
