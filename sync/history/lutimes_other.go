//go:build !unix

package history

import "time"

// lutimes is a no-op where links have no settable times.
func lutimes(string, time.Time) error { return nil }
