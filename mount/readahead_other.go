//go:build !linux

package mount

// raiseReadahead does nothing where the kernel's window cannot be set.
func raiseReadahead(dir string, n int) error { return nil }
