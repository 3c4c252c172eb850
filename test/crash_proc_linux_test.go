//go:build linux

package test

import "syscall"

// crashProcAttr makes the kernel kill a crash child when the test process
// dies, so that no writer outlives a test that was itself killed.
func crashProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
