package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Retrieval tiers of RestoreObject.
const (
	TierExpedited = "Expedited"
	TierStandard  = "Standard"
	TierBulk      = "Bulk"
)

// ErrRestoreAlreadyInProgress answers a restore of a version whose
// restore has not completed yet.
var ErrRestoreAlreadyInProgress = &objstore.Error{Code: "RestoreAlreadyInProgress", Status: http.StatusConflict, Message: "Object restore is already in progress"}

// retrieval is how long a restore takes in real time, by archive class
// and tier; the lifecycle day scales it.
var retrieval = map[objstore.StorageClass]map[string]time.Duration{
	"GLACIER":      {TierExpedited: 5 * time.Minute, TierStandard: 5 * time.Hour, TierBulk: 12 * time.Hour},
	"DEEP_ARCHIVE": {TierStandard: 12 * time.Hour, TierBulk: 48 * time.Hour},
}

// Archived tells whether versions of class must be restored before they
// can be read (GLACIER, DEEP_ARCHIVE; GLACIER_IR is read at once).
func Archived(class objstore.StorageClass) bool { return retrieval[class] != nil }

// RestoreDelay is how long a restore of class in tier takes with days of
// length day.
func RestoreDelay(class objstore.StorageClass, tier string, day time.Duration) (time.Duration, error) {
	d, ok := retrieval[class][tier]
	if !ok {
		return 0, invalidArgument("Tier %q is not available for storage class %s", tier, class)
	}
	return time.Duration(float64(d) * float64(day) / float64(Day)), nil
}

// Restore asks for a temporary copy of an archived version, readable for
// days lifecycle days once the tier's retrieval time has passed. It
// reports restored when the version was already restored (its copy's
// expiry is moved instead, S3's 200) rather than a restore started (202).
// A restore still in progress fails with ErrRestoreAlreadyInProgress, a
// version not archived with objstore.ErrInvalidObjectState.
func (m *Manager) Restore(ctx context.Context, bucket, key, versionID string, days int, tier string) (restored bool, err error) {
	if tier == "" {
		tier = TierStandard
	}
	if days < 1 {
		return false, invalidArgument("Days must be a positive integer")
	}
	m.jobsMu.Lock()
	defer m.jobsMu.Unlock()
	now := m.now()
	var delay time.Duration
	info, err := m.engine.UpdateVersion(ctx, bucket, key, versionID, func(v *objstore.ObjectInfo) error {
		if !Archived(v.StorageClass) {
			return fmt.Errorf("restore of a %s version: %w", v.StorageClass, objstore.ErrInvalidObjectState)
		}
		switch r := v.Restore; {
		case r != nil && r.Ongoing:
			return ErrRestoreAlreadyInProgress
		case r != nil && now.Before(r.Expiry):
			r.Expiry, restored = after(now, days, m.day), true
			return nil
		}
		var err error
		if delay, err = RestoreDelay(v.StorageClass, tier, m.day); err != nil {
			return err
		}
		v.Restore = &objstore.RestoreStatus{Ongoing: true}
		return nil
	})
	if err != nil || restored {
		return restored, err
	}
	job := restoreJob{Key: key, VersionID: info.VersionID, Due: now.Add(delay), Days: days}
	if err := m.addJob(ctx, bucket, job); err != nil {
		m.undoRestore(ctx, bucket, info)
		return false, err
	}
	m.publish(ctx, EventRestorePost, bucket, info)
	return false, nil
}

// undoRestore takes back the ongoing state of a restore whose job could
// not be recorded.
func (m *Manager) undoRestore(ctx context.Context, bucket string, info objstore.ObjectInfo) {
	_, err := m.engine.UpdateVersion(ctx, bucket, info.Key, info.VersionID, func(v *objstore.ObjectInfo) error {
		v.Restore = nil
		return nil
	})
	if err != nil {
		m.log.Warn("restore left ongoing", "bucket", bucket, "key", info.Key, "version", info.VersionID, "err", err)
	}
}

// completeRestores completes the bucket's restores whose retrieval time
// has passed, and takes away the restored copies that have expired.
func (m *Manager) completeRestores(ctx context.Context, bucket string) error {
	m.jobsMu.Lock()
	defer m.jobsMu.Unlock()
	jobs, err := m.loadJobs(ctx, bucket)
	if err != nil || len(jobs) == 0 {
		return err
	}
	now := m.now()
	var keep []restoreJob
	changed := false
	for _, j := range jobs {
		next, kept, moved := m.advance(ctx, bucket, j, now)
		if kept {
			keep = append(keep, next)
		}
		changed = changed || moved || !kept
	}
	if !changed {
		return nil
	}
	return m.saveJobs(ctx, bucket, keep)
}

// advance moves one job on: a due restore completes, an expired copy
// goes. It returns the job as it is now, whether to keep it, and whether
// it changed.
func (m *Manager) advance(ctx context.Context, bucket string, j restoreJob, now time.Time) (restoreJob, bool, bool) {
	var err error
	switch {
	case j.Expires.IsZero() && now.Before(j.Due), !j.Expires.IsZero() && now.Before(j.Expires):
		return j, true, false
	case j.Expires.IsZero():
		j.Expires, err = m.complete(ctx, bucket, j, now)
	default:
		j.Expires, err = m.expireCopy(ctx, bucket, j, now)
	}
	switch {
	case err == nil:
		return j, !j.Expires.IsZero(), true
	case isGone(err):
		return j, false, true
	}
	m.log.Warn("restore job failed", "bucket", bucket, "key", j.Key, "version", j.VersionID, "err", err)
	return j, true, false
}

// complete makes one restored copy readable and returns its expiry.
func (m *Manager) complete(ctx context.Context, bucket string, j restoreJob, now time.Time) (time.Time, error) {
	expiry := after(now, j.Days, m.day)
	info, err := m.engine.UpdateVersion(ctx, bucket, j.Key, j.VersionID, func(v *objstore.ObjectInfo) error {
		if v.Restore == nil || !v.Restore.Ongoing {
			return errSkip
		}
		v.Restore = &objstore.RestoreStatus{Expiry: expiry}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	m.publish(ctx, EventRestoreCompleted, bucket, info)
	return expiry, nil
}

// expireCopy takes an expired restored copy away. It returns the copy's
// new expiry when a later restore moved it, else the zero time.
func (m *Manager) expireCopy(ctx context.Context, bucket string, j restoreJob, now time.Time) (time.Time, error) {
	var later time.Time
	info, err := m.engine.UpdateVersion(ctx, bucket, j.Key, j.VersionID, func(v *objstore.ObjectInfo) error {
		switch r := v.Restore; {
		case r == nil || r.Ongoing:
			return errSkip
		case now.Before(r.Expiry):
			later = r.Expiry
			return errUnchanged
		}
		v.Restore = nil
		return nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return later, nil
	case err != nil:
		return time.Time{}, err
	}
	m.publish(ctx, EventRestoreDelete, bucket, info)
	return time.Time{}, nil
}

// errUnchanged ends an update that has nothing to change.
var errUnchanged = errors.New("unchanged")
