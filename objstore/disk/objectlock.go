package disk

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lock"
)

// Object lock in the engine: a bucket has it when its bucket record holds
// the configuration document lock.ConfigName. Every new version of such a
// bucket gets the bucket's default retention unless its writer set one;
// versions under retention or legal hold are not removed (removeVersion);
// and the bucket's versioning stays Enabled.

// setLock records the retention and legal hold a writer asked for.
func (r *versionRecord) setLock(l objstore.ObjectLock) {
	r.RetentionMode, r.RetainUntil, r.LegalHold = l.Mode, unixNanos(l.RetainUntil), l.LegalHold
	r.LegalHoldSet = l.LegalHoldSet
}

// lock is the version's retention and legal hold.
func (r *versionRecord) lock() objstore.ObjectLock {
	l := objstore.ObjectLock{Mode: r.RetentionMode, LegalHold: r.LegalHold, LegalHoldSet: r.LegalHoldSet}
	if r.RetainUntil != 0 {
		l.RetainUntil = time.Unix(0, r.RetainUntil).UTC()
	}
	return l
}

// lockEnabled tells whether the bucket has object lock.
func (r *bucketRecord) lockEnabled() bool {
	_, ok := r.Configs[lock.ConfigName]
	return ok
}

// applyLock settles the lock state of a new version of a bucket: a writer's
// retention or legal hold needs object lock on the bucket
// (lock.ErrNotEnabled); without one the bucket's default retention
// applies, counted from the version's creation.
func applyLock(bk *bucketRecord, bucket string, rec *versionRecord) error {
	if rec.DeleteMarker {
		rec.setLock(objstore.ObjectLock{})
		return nil
	}
	if !bk.lockEnabled() {
		return checkLockAllowed(bk, bucket, rec.lock())
	}
	if rec.RetentionMode == "" {
		d := lock.Default(bk.Configs[lock.ConfigName], time.Unix(0, rec.LastModified))
		rec.RetentionMode, rec.RetainUntil = d.Mode, unixNanos(d.RetainUntil)
	}
	return nil
}

// checkRemove fails with lock.ErrLocked when rec may not be removed for
// good now.
func checkRemove(bucket, key string, rec *versionRecord, bypass bool) error {
	if err := lock.CheckRemove(rec.lock(), bypass, time.Now()); err != nil {
		return fmt.Errorf("%s/%s version %s: %w", bucket, key, rec.versionID(), err)
	}
	return nil
}

// enableLock turns object lock on for a bucket record: versioning Enabled
// for good and the configuration doc stored.
func enableLock(r *bucketRecord, doc []byte) {
	r.Versioning = objstore.VersioningEnabled
	r.Configs = maps.Clone(r.Configs)
	if r.Configs == nil {
		r.Configs = map[string]string{}
	}
	r.Configs[lock.ConfigName] = string(doc)
}

// PutObjectLockConfig stores a bucket's object-lock configuration doc
// (already validated), turning object lock on for good. A bucket without
// object lock gets it only while its versioning is Enabled
// (lock.ErrNeedsVersioning).
func (s *Store) PutObjectLockConfig(ctx context.Context, bucket string, doc []byte) error {
	return s.changeBucket(bucket, func(r *bucketRecord) error {
		if !r.lockEnabled() && r.Versioning != objstore.VersioningEnabled {
			return fmt.Errorf("object lock on bucket %s: %w", bucket, lock.ErrNeedsVersioning)
		}
		enableLock(r, doc)
		return nil
	})
}

// setVersioning sets a bucket's versioning state; a bucket with object
// lock stays Enabled (lock.ErrVersioningLocked).
func (s *Store) setVersioning(bucket string, state objstore.VersioningState) error {
	return s.changeBucket(bucket, func(r *bucketRecord) error {
		if r.lockEnabled() && state != objstore.VersioningEnabled {
			return fmt.Errorf("versioning of bucket %s: %w", bucket, lock.ErrVersioningLocked)
		}
		r.Versioning = state
		return nil
	})
}

// changeBucket is updateBucket for a change that may refuse.
func (s *Store) changeBucket(bucket string, change func(*bucketRecord) error) error {
	var refused error
	err := s.updateBucket(bucket, func(r *bucketRecord) {
		old := *r
		if refused = change(r); refused != nil {
			*r = old
		}
	})
	if refused != nil {
		return refused
	}
	return err
}

// encodeLock writes the lock state a multipart upload asked for.
func encodeLock(e *encoder, l objstore.ObjectLock) {
	e.str(l.Mode)
	e.int(unixNanos(l.RetainUntil))
	e.bool(l.LegalHold)
}

// decodeLock reads what encodeLock wrote, if the record goes on.
func decodeLock(d *decoder, l *objstore.ObjectLock) {
	if d.err != nil || d.s == "" {
		return
	}
	l.Mode = d.str()
	if t := d.int(); t != 0 {
		l.RetainUntil = time.Unix(0, t).UTC()
	}
	l.LegalHold = d.bool()
}

// checkLockAllowed refuses a retention or legal hold on a bucket without
// object lock (lock.ErrNotEnabled).
func checkLockAllowed(bk *bucketRecord, bucket string, l objstore.ObjectLock) error {
	if !bk.lockEnabled() && (l.Mode != "" || l.LegalHold) {
		return fmt.Errorf("retention on bucket %s: %w", bucket, lock.ErrNotEnabled)
	}
	return nil
}
