package disk

import (
	"context"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// UpdateVersion changes the attributes of an existing version in place,
// atomically with respect to every other write of the key: change gets
// the version as it is (the current one when versionID is empty) and may
// set its StorageClass, ReplicationStatus, Lock and Restore; other fields
// it changes are ignored. An error from change leaves the version as it
// was and is returned. Delete markers cannot be updated (NoSuchKey for a
// current one, MethodNotAllowed when named by version ID).
func (s *Store) UpdateVersion(ctx context.Context, bucket, key, versionID string, change func(*objstore.ObjectInfo) error) (objstore.ObjectInfo, error) {
	var latest bool
	rec, err := s.changeVersion(bucket, key, versionID, func(rec *versionRecord) error {
		info := rec.info(bucket, key)
		info.IsLatest = s.isLatest(bucket, key, rec)
		if err := change(&info); err != nil {
			return err
		}
		rec.applyAttrs(&info)
		latest = info.IsLatest
		return nil
	})
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	out := rec.info(bucket, key)
	out.IsLatest = latest
	return out, nil
}

// applyAttrs takes the attributes UpdateVersion may change from info.
func (r *versionRecord) applyAttrs(info *objstore.ObjectInfo) {
	r.Meta.StorageClass = info.StorageClass
	r.Replication = info.ReplicationStatus
	r.RetentionMode, r.LegalHold, r.LegalHoldSet = info.Lock.Mode, info.Lock.LegalHold, info.Lock.LegalHoldSet
	r.RetainUntil = unixNanos(info.Lock.RetainUntil)
	r.RestoreAsked, r.RestoreOngoing, r.RestoreExpiry = false, false, 0
	if info.Restore != nil {
		r.RestoreAsked, r.RestoreOngoing = true, info.Restore.Ongoing
		r.RestoreExpiry = unixNanos(info.Restore.Expiry)
	}
}

// unixNanos is t in unix nanoseconds, 0 for the zero time.
func unixNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
