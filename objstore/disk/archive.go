package disk

import (
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// readableNow checks that a version's data may be read: a version in an
// archive class (GLACIER, DEEP_ARCHIVE) is readable only while a completed
// restore's copy has not expired; any other read answers
// objstore.ErrInvalidObjectState, as S3 does. Every reader of the engine
// (S3 clients, mounts, copies) meets the same rule.
func readableNow(bucket, key string, rec *versionRecord, now time.Time) error {
	switch rec.Meta.StorageClass {
	case "GLACIER", "DEEP_ARCHIVE":
	default:
		return nil
	}
	if rec.RestoreAsked && !rec.RestoreOngoing && now.UnixNano() < rec.RestoreExpiry {
		return nil
	}
	return fmt.Errorf("read %s/%s: %s version not restored: %w", bucket, key, rec.Meta.StorageClass, objstore.ErrInvalidObjectState)
}
