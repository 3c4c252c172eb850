//go:build !linux

package main

import "golang.org/x/sys/unix"

// lazyUnmountFlag forces a busy mount off where lazy unmounts do not exist.
const lazyUnmountFlag = unix.MNT_FORCE
