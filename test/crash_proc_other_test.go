//go:build !linux

package test

import "syscall"

// crashProcAttr has no parent-death signal to ask for off Linux; the
// test's own cleanup kills its children.
func crashProcAttr() *syscall.SysProcAttr { return nil }
