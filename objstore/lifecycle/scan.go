package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// Scan makes one pass over every bucket: it moves the restores on
// (completing those due, expiring restored copies) and applies each
// bucket's rules to its versions and uploads. A failure in one bucket
// does not stop the others; their errors are joined.
func (m *Manager) Scan(ctx context.Context) error { return m.pass(ctx, true) }

// pass moves the restores of every bucket on and, when rules is set,
// applies the buckets' rules.
func (m *Manager) pass(ctx context.Context, rules bool) error {
	buckets, err := m.engine.ListBuckets(ctx)
	if err != nil {
		return fmt.Errorf("list buckets: %w", err)
	}
	var errs []error
	for _, b := range buckets {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := m.completeRestores(ctx, b.Name); err != nil {
			errs = append(errs, fmt.Errorf("bucket %s: restores: %w", b.Name, err))
		}
		if !rules {
			continue
		}
		if err := m.scanBucket(ctx, b.Name); err != nil {
			errs = append(errs, fmt.Errorf("bucket %s: %w", b.Name, err))
		}
	}
	return errors.Join(errs...)
}

// scanBucket applies the bucket's rules, if it has any.
func (m *Manager) scanBucket(ctx context.Context, bucket string) error {
	cfg, err := m.Config(ctx, bucket)
	if errors.Is(err, objstore.ErrNoSuchBucket) {
		return nil
	}
	if err != nil || cfg == nil {
		return err
	}
	now := m.now()
	if err := m.scanVersions(ctx, bucket, cfg, now); err != nil {
		return err
	}
	return m.abortUploads(ctx, bucket, cfg, now)
}

// scanVersions walks every version of the bucket, one key at a time.
func (m *Manager) scanVersions(ctx context.Context, bucket string, cfg *Configuration, now time.Time) error {
	var group []objstore.ObjectInfo
	opts := objstore.ListVersionsOptions{MaxKeys: objstore.MaxListKeys}
	for {
		page, err := m.engine.ListObjectVersions(ctx, bucket, opts)
		if err != nil {
			return fmt.Errorf("list versions: %w", err)
		}
		for _, v := range page.Versions {
			if len(group) > 0 && group[0].Key != v.Key {
				m.applyKey(ctx, bucket, cfg, group, now)
				group = group[:0]
			}
			group = append(group, v)
		}
		if !page.IsTruncated {
			break
		}
		opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
	if len(group) > 0 {
		m.applyKey(ctx, bucket, cfg, group, now)
	}
	return ctx.Err()
}

// describe turns the versions of one key, newest first, into what the
// rules look at.
func describe(group []objstore.ObjectInfo) []Version {
	out := make([]Version, len(group))
	newer := 0
	for i, o := range group {
		v := Version{
			Key: o.Key, VersionID: o.VersionID, Size: o.Size, Tags: o.Tags,
			StorageClass: o.StorageClass, LastModified: o.LastModified,
			IsLatest: o.IsLatest, DeleteMarker: o.DeleteMarker,
			NewerNoncurrent: newer,
		}
		if v.StorageClass == "" {
			v.StorageClass = objstore.DefaultStorageClass
		}
		if i > 0 {
			v.NoncurrentSince = group[i-1].LastModified
			if !o.DeleteMarker {
				newer++
			}
		}
		v.Alone = o.IsLatest && o.DeleteMarker && len(group) == 1
		out[i] = v
	}
	return out
}

// applyKey applies the rules to the versions of one key.
func (m *Manager) applyKey(ctx context.Context, bucket string, cfg *Configuration, group []objstore.ObjectInfo, now time.Time) {
	needTags := cfg.NeedsTags()
	for i, v := range describe(group) {
		if ctx.Err() != nil {
			return
		}
		if needTags && !v.DeleteMarker {
			tags, _, err := m.engine.GetObjectTagging(ctx, bucket, v.Key, v.VersionID)
			if err != nil {
				continue // gone since it was listed
			}
			v.Tags = tags
		}
		a := cfg.Evaluate(v, now, m.day)
		if a.Kind == Keep {
			continue
		}
		if err := m.apply(ctx, bucket, group[i], a, now); err != nil {
			m.logFailure(bucket, group[i], a, err)
		}
	}
}

// logFailure logs an action that could not be applied. A version held by
// object lock is skipped quietly: holds beat rules.
func (m *Manager) logFailure(bucket string, o objstore.ObjectInfo, a Action, err error) {
	args := []any{"bucket", bucket, "key", o.Key, "version", o.VersionID, "rule", a.RuleID, "err", err}
	if errors.Is(err, errSkip) || errors.Is(err, objstore.ErrAccessDenied) || errors.Is(err, objstore.ErrNoSuchKey) || errors.Is(err, objstore.ErrNoSuchVersion) {
		m.log.Debug("lifecycle action skipped", args...)
		return
	}
	m.log.Warn("lifecycle action failed", args...)
}
