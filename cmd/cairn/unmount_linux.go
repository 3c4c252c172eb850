package main

import "syscall"

// lazyUnmountFlag detaches a busy mount now; it ends when its files close.
const lazyUnmountFlag = syscall.MNT_DETACH
