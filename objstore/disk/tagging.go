package disk

import (
	"context"
	"fmt"
	"maps"

	"github.com/cairnfs/cairn/objstore"
)

// GetObjectTagging returns the tag set of a version (the current one when
// versionID is empty) and the version's ID.
func (s *Store) GetObjectTagging(ctx context.Context, bucket, key, versionID string) (objstore.Tags, string, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return nil, "", err
	}
	leave, err := s.enter()
	if err != nil {
		return nil, "", err
	}
	defer leave()
	rec, err := resolve(s.db, bucket, key, versionID)
	if err != nil {
		return nil, "", err
	}
	tags := objstore.Tags{}
	maps.Copy(tags, rec.Meta.Tags)
	return tags, rec.versionID(), nil
}

// PutObjectTagging replaces the tag set of a version.
func (s *Store) PutObjectTagging(ctx context.Context, bucket, key, versionID string, tags objstore.Tags) (string, error) {
	if err := objstore.ValidateTags(tags); err != nil {
		return "", err
	}
	return s.retag(bucket, key, versionID, tags)
}

// DeleteObjectTagging removes every tag of a version.
func (s *Store) DeleteObjectTagging(ctx context.Context, bucket, key, versionID string) (string, error) {
	return s.retag(bucket, key, versionID, nil)
}

// retag rewrites a version's record (and its L copy when it is the
// current one) with a new tag set.
func (s *Store) retag(bucket, key, versionID string, tags objstore.Tags) (string, error) {
	rec, err := s.changeVersion(bucket, key, versionID, func(rec *versionRecord) error {
		rec.Meta.Tags = cloneMap(tags)
		return nil
	})
	if err != nil {
		return "", err
	}
	return rec.versionID(), nil
}

// changeVersion resolves a version (the current one when versionID is
// empty) under the key's lock, lets change modify its record and stores
// the record again. A delete marker is never handed to change: resolve
// answers NoSuchKey or MethodNotAllowed for it. An error from change
// leaves the version as it was.
func (s *Store) changeVersion(bucket, key, versionID string, change func(*versionRecord) error) (*versionRecord, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return nil, err
	}
	leave, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	rec, err := resolve(s.db, bucket, key, versionID)
	if err != nil {
		return nil, err
	}
	if err := change(rec); err != nil {
		return nil, err
	}
	if err := s.rewrite(bucket, key, rec); err != nil {
		return nil, fmt.Errorf("update %s/%s: %w", bucket, key, err)
	}
	return rec, nil
}

// rewrite stores a changed record of an existing version (and its L copy
// when it is the current one). The caller holds the key's lock.
func (s *Store) rewrite(bucket, key string, rec *versionRecord) error {
	v := rec.encode()
	b := s.db.NewBatch()
	defer b.Close()
	b.Set(versionKey(bucket, key, rec.Seq), v, nil)
	if s.isLatest(bucket, key, rec) {
		b.Set(liveKey(bucket, key), v, nil)
	}
	return s.commit(b)
}
