package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// jobsConfigName is the bucket configuration document that holds the
// bucket's restores in progress and restored copies, so that they complete
// and expire after a restart.
const jobsConfigName = "restore-jobs"

// restoreJob is a restore in progress (until Due), then a restored copy
// (until Expires).
type restoreJob struct {
	Key       string    `json:"key"`
	VersionID string    `json:"versionId"`
	Due       time.Time `json:"due"`
	Days      int       `json:"days"`
	Expires   time.Time `json:"expires,omitzero"`
}

// loadJobs reads the bucket's restores in progress. Callers hold jobsMu.
func (m *Manager) loadJobs(ctx context.Context, bucket string) ([]restoreJob, error) {
	doc, ok, err := m.engine.GetBucketConfig(ctx, bucket, jobsConfigName)
	if err != nil || !ok {
		if errors.Is(err, objstore.ErrNoSuchBucket) {
			err = nil
		}
		return nil, err
	}
	var jobs []restoreJob
	if err := json.Unmarshal(doc, &jobs); err != nil {
		return nil, fmt.Errorf("decode restore jobs: %w", err)
	}
	return jobs, nil
}

// saveJobs replaces the bucket's restores in progress. Callers hold jobsMu.
func (m *Manager) saveJobs(ctx context.Context, bucket string, jobs []restoreJob) error {
	if len(jobs) == 0 {
		return m.engine.DeleteBucketConfig(ctx, bucket, jobsConfigName)
	}
	doc, err := json.Marshal(jobs)
	if err != nil {
		return fmt.Errorf("encode restore jobs: %w", err)
	}
	return m.engine.PutBucketConfig(ctx, bucket, jobsConfigName, doc)
}

// addJob records one more restore in progress. Callers hold jobsMu.
func (m *Manager) addJob(ctx context.Context, bucket string, j restoreJob) error {
	jobs, err := m.loadJobs(ctx, bucket)
	if err != nil {
		return err
	}
	return m.saveJobs(ctx, bucket, append(jobs, j))
}

// isGone tells whether err says the version is no more (or is no longer
// in the state a job expected).
func isGone(err error) bool {
	return errors.Is(err, errSkip) || errors.Is(err, objstore.ErrNoSuchKey) ||
		errors.Is(err, objstore.ErrNoSuchVersion) || errors.Is(err, objstore.ErrNoSuchBucket) ||
		errors.Is(err, objstore.ErrMethodNotAllowed)
}
