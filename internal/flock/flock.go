// Package flock guards a directory against a second user: an exclusive,
// non-blocking lock on a file in it, held while the file stays open. The
// embedded store, the block cache and the sync state each take one, so
// two processes (or two users in one process) never share them. Wait
// takes the same lock waiting for it, to order short updates of a file
// that several processes change (the MFA devices).
package flock

import "errors"

// ErrLocked reports a lock someone else holds.
var ErrLocked = errors.New("locked by another user")
