//go:build !linux

package mount

// oDirect is the open flag of direct I/O; this system has none under that
// name (macOS sets F_NOCACHE on an open file instead), so openDirect
// declines and staged files are written through the page cache.
const oDirect = 0
