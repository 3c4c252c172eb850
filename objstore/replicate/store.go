package replicate

import (
	"context"
	"fmt"
	"io"

	"github.com/cairnfs/cairn/objstore"
)

// Store is the objstore.Store clients write through: every new version
// (put, copy, completed multipart upload) a rule of its bucket selects is
// marked PENDING and queued, and so is every delete marker a rule
// replicates. Deletes of a version by ID are not replicated, as in S3.
type Store struct {
	objstore.Store
	r *Replicator
}

// Store returns the replicating store over the inner one.
func (r *Replicator) Store() *Store { return &Store{Store: r.inner, r: r} }

// PutObject stores an object and queues its replication.
func (s *Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	info, err := s.Store.PutObject(ctx, bucket, key, body, opts)
	if err != nil {
		return info, err
	}
	return s.r.track(ctx, info), nil
}

// CopyObject copies an object and queues the copy's replication.
func (s *Store) CopyObject(ctx context.Context, bucket, key string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	info, err := s.Store.CopyObject(ctx, bucket, key, opts)
	if err != nil {
		return info, err
	}
	return s.r.track(ctx, info), nil
}

// CompleteMultipartUpload completes an upload and queues the new
// version's replication.
func (s *Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletedPart, opts objstore.CompleteOptions) (objstore.ObjectInfo, error) {
	info, err := s.Store.CompleteMultipartUpload(ctx, bucket, key, uploadID, parts, opts)
	if err != nil {
		return info, err
	}
	return s.r.track(ctx, info), nil
}

// DeleteObject deletes an object; a delete marker it creates is queued
// for replication when a rule replicates delete markers.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string, opts objstore.DeleteOptions) (objstore.DeleteResult, error) {
	res, err := s.Store.DeleteObject(ctx, bucket, key, opts)
	if err != nil || opts.VersionID != "" || !res.DeleteMarker {
		return res, err
	}
	s.r.trackDeleteMarker(ctx, bucket, key, res.VersionID)
	return res, nil
}

// PutBucketVersioning refuses to suspend versioning on a bucket with a
// replication configuration, as S3 does.
func (s *Store) PutBucketVersioning(ctx context.Context, bucket string, state objstore.VersioningState) error {
	if state != objstore.VersioningEnabled {
		cfg, err := s.r.config(ctx, bucket)
		if err != nil {
			return err
		}
		if cfg != nil {
			return fmt.Errorf("bucket %s: %w", bucket, errVersioningLocked)
		}
	}
	return s.Store.PutBucketVersioning(ctx, bucket, state)
}

var errVersioningLocked = invalidRequest("A replication configuration is present on this bucket, so the versioning state cannot be changed.")

// track marks a new version PENDING and queues it when a rule of its
// bucket selects it, and returns its info as it now is. A failure to queue
// is logged: the write itself has happened.
func (r *Replicator) track(ctx context.Context, info objstore.ObjectInfo) objstore.ObjectInfo {
	if info.VersionID == "" || info.VersionID == objstore.NullVersionID {
		return info
	}
	cfg, err := r.config(ctx, info.Bucket)
	if err != nil {
		r.log.Error("replication: read configuration", "bucket", info.Bucket, "err", err)
		return info
	}
	if cfg == nil || cfg.Match(info.Key, info.Tags) == nil {
		return info
	}
	if err := r.enqueue(ctx, Task{Kind: KindVersion, Bucket: info.Bucket, Key: info.Key, VersionID: info.VersionID}); err != nil {
		r.log.Error("replication: queue version", "bucket", info.Bucket, "key", info.Key, "version", info.VersionID, "err", err)
		return info
	}
	info.ReplicationStatus = StatusPending
	return info
}

// enqueue queues a task durably, marks its version PENDING, and only
// then lets the worker take it: the worker's COMPLETED always comes last,
// and a crash between the two leaves a task that runs after the restart,
// never a PENDING version nothing will replicate.
func (r *Replicator) enqueue(ctx context.Context, t Task) error {
	ctx = context.WithoutCancel(ctx)
	t, err := r.queue.Add(t)
	if err != nil {
		return err
	}
	defer r.signal()
	defer r.queue.Release(t)
	if t.Kind == KindVersion {
		return r.setStatus(ctx, t.Bucket, t.Key, t.VersionID, StatusPending)
	}
	return nil
}

// trackDeleteMarker queues a new delete marker when a rule replicates it.
func (r *Replicator) trackDeleteMarker(ctx context.Context, bucket, key, versionID string) {
	cfg, err := r.config(ctx, bucket)
	if err != nil {
		r.log.Error("replication: read configuration", "bucket", bucket, "err", err)
		return
	}
	if cfg == nil || cfg.DeleteMarkerRule(key) == nil {
		return
	}
	if err := r.enqueue(ctx, Task{Kind: KindDeleteMarker, Bucket: bucket, Key: key, VersionID: versionID}); err != nil {
		r.log.Error("replication: queue delete marker", "bucket", bucket, "key", key, "err", err)
	}
}
