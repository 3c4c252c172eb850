package main

import (
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// restoreText describes the restore of an archived version for stat: in
// progress, or readable until the copy's expiry; "" when none was asked
// for or the copy has expired.
func restoreText(r *objstore.RestoreStatus, now time.Time) string {
	switch {
	case r == nil:
		return ""
	case r.Ongoing:
		return "in progress"
	case now.Before(r.Expiry):
		return "readable until " + r.Expiry.Local().Format(time.RFC1123)
	}
	return ""
}
