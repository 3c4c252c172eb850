package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
)

// errSkip tells that an action no longer applies to the version as it is
// now; nothing was changed.
var errSkip = errors.New("no longer applies")

// The event names of lifecycle work.
const (
	EventExpirationDelete        = events.LifecycleExpirationDelete
	EventExpirationMarkerCreated = events.LifecycleExpirationDeleteMarker
	EventTransition              = events.LifecycleTransition
	EventRestorePost             = events.ObjectRestorePost
	EventRestoreCompleted        = events.ObjectRestoreCompleted
	EventRestoreDelete           = events.ObjectRestoreDelete
)

// apply carries out one action on the version o.
func (m *Manager) apply(ctx context.Context, bucket string, o objstore.ObjectInfo, a Action, now time.Time) error {
	switch a.Kind {
	case ChangeClass:
		return m.transition(ctx, bucket, o, a.StorageClass)
	case ExpireCurrent:
		return m.expireCurrent(ctx, bucket, o)
	case DeleteVersion:
		return m.deleteVersion(ctx, bucket, o, now)
	}
	return nil
}

// transition moves a version to a colder class. A version entering an
// archive class loses any restored copy it had.
func (m *Manager) transition(ctx context.Context, bucket string, o objstore.ObjectInfo, class objstore.StorageClass) error {
	info, err := m.engine.UpdateVersion(ctx, bucket, o.Key, o.VersionID, func(v *objstore.ObjectInfo) error {
		if v.ETag != o.ETag || coldness[v.StorageClass] >= coldness[class] {
			return errSkip
		}
		v.StorageClass = class
		if Archived(class) {
			v.Restore = nil
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("transition to %s: %w", class, err)
	}
	m.publish(ctx, EventTransition, bucket, info)
	return nil
}

// expireCurrent deletes the current version as a DELETE without a
// version ID does, if it is still the one the scan saw.
func (m *Manager) expireCurrent(ctx context.Context, bucket string, o objstore.ObjectInfo) error {
	cur, err := m.engine.HeadObject(ctx, bucket, o.Key, objstore.GetOptions{})
	if err != nil {
		return fmt.Errorf("expire: %w", err)
	}
	if cur.VersionID != o.VersionID || cur.ETag != o.ETag {
		return errSkip
	}
	res, err := m.engine.DeleteObject(ctx, bucket, o.Key, objstore.DeleteOptions{})
	if err != nil {
		return fmt.Errorf("expire: %w", err)
	}
	if res.DeleteMarker {
		m.publish(ctx, EventExpirationMarkerCreated, bucket, objstore.ObjectInfo{Key: o.Key, VersionID: res.VersionID})
		return nil
	}
	m.publish(ctx, EventExpirationDelete, bucket, o)
	return nil
}

// deleteVersion removes one version or delete marker for good, unless
// object lock holds it.
func (m *Manager) deleteVersion(ctx context.Context, bucket string, o objstore.ObjectInfo, now time.Time) error {
	if o.Lock.LegalHold || o.Lock.Mode != "" && now.Before(o.Lock.RetainUntil) {
		return fmt.Errorf("version under object lock: %w", errSkip)
	}
	if _, err := m.engine.DeleteObject(ctx, bucket, o.Key, objstore.DeleteOptions{VersionID: o.VersionID}); err != nil {
		return fmt.Errorf("delete version: %w", err)
	}
	m.publish(ctx, EventExpirationDelete, bucket, o)
	return nil
}

// abortUploads aborts the bucket's multipart uploads a rule finds stale.
func (m *Manager) abortUploads(ctx context.Context, bucket string, cfg *Configuration, now time.Time) error {
	if !cfg.hasAbort() {
		return nil
	}
	opts := objstore.ListUploadsOptions{MaxUploads: objstore.MaxListKeys}
	for {
		page, err := m.engine.ListMultipartUploads(ctx, bucket, opts)
		if err != nil {
			return fmt.Errorf("list uploads: %w", err)
		}
		for _, u := range page.Uploads {
			rule, due := cfg.AbortDue(u.Key, u.Initiated, now, m.day)
			if !due {
				continue
			}
			err := m.engine.AbortMultipartUpload(ctx, bucket, u.Key, u.UploadID)
			if err != nil && !errors.Is(err, objstore.ErrNoSuchUpload) {
				m.log.Warn("lifecycle abort of upload failed", "bucket", bucket, "key", u.Key, "upload", u.UploadID, "rule", rule, "err", err)
			}
		}
		if !page.IsTruncated {
			return nil
		}
		opts.KeyMarker, opts.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

// hasAbort tells whether an enabled rule aborts uploads.
func (c *Configuration) hasAbort() bool {
	for i := range c.Rules {
		if c.Rules[i].enabled() && c.Rules[i].AbortIncompleteMultipartUpload != nil {
			return true
		}
	}
	return false
}
