package disk

import (
	"context"
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// UpdateVersion changes the attributes of an existing version in place,
// atomically with respect to every other write of the key: change gets
// the version as it is (the current one when versionID is empty) and may
// set its StorageClass, ReplicationStatus, Lock and Restore; other fields
// it changes are ignored. An error from change leaves the version as it
// was and is returned. Delete markers cannot be updated
// (objstore.ErrMethodNotAllowed).
func (s *Store) UpdateVersion(ctx context.Context, bucket, key, versionID string, change func(*objstore.ObjectInfo) error) (objstore.ObjectInfo, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return objstore.ObjectInfo{}, err
	}
	leave, err := s.enter()
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	rec, err := resolve(s.db, bucket, key, versionID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	if rec.DeleteMarker {
		return objstore.ObjectInfo{}, fmt.Errorf("%s/%s version %s is a delete marker: %w", bucket, key, rec.versionID(), objstore.ErrMethodNotAllowed)
	}
	info := rec.info(bucket, key)
	info.IsLatest = s.isLatest(bucket, key, rec)
	if err := change(&info); err != nil {
		return objstore.ObjectInfo{}, err
	}
	rec.applyAttrs(&info)
	if err := s.rewrite(bucket, key, rec); err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("update %s/%s: %w", bucket, key, err)
	}
	out := rec.info(bucket, key)
	out.IsLatest = info.IsLatest
	return out, nil
}

// applyAttrs takes the attributes UpdateVersion may change from info.
func (r *versionRecord) applyAttrs(info *objstore.ObjectInfo) {
	r.Meta.StorageClass = info.StorageClass
	r.Replication = info.ReplicationStatus
	r.RetentionMode, r.LegalHold = info.Lock.Mode, info.Lock.LegalHold
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
