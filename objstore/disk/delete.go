package disk

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// DeleteObject deletes key as S3 does. Without a version ID it removes
// the null version on an unversioned bucket and adds a delete marker on a
// versioned one (the null version when suspended), whether or not the key
// exists. With one it removes that version for good; removing a version
// that does not exist succeeds.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string, opts objstore.DeleteOptions) (objstore.DeleteResult, error) {
	if err := objstore.ValidateKey(key); err != nil {
		return objstore.DeleteResult{}, err
	}
	if opts.VersionID != "" && opts.VersionID != objstore.NullVersionID {
		if _, _, err := parseVersionID(opts.VersionID); err != nil {
			return objstore.DeleteResult{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return objstore.DeleteResult{}, err
	}
	leave, err := s.enter()
	if err != nil {
		return objstore.DeleteResult{}, err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	bk, err := getBucket(s.db, bucket)
	if err != nil {
		return objstore.DeleteResult{}, err
	}
	switch {
	case opts.VersionID != "":
		return s.removeVersion(bucket, key, opts.VersionID, opts.BypassGovernance)
	case bk.Versioning == objstore.VersioningUnversioned:
		res, err := s.removeVersion(bucket, key, objstore.NullVersionID, opts.BypassGovernance)
		return objstore.DeleteResult{DeleteMarker: res.DeleteMarker}, err
	}
	return s.addDeleteMarker(bk, bucket, key)
}

// addDeleteMarker makes a delete marker the current version of key.
func (s *Store) addDeleteMarker(bk *bucketRecord, bucket, key string) (objstore.DeleteResult, error) {
	b := s.db.NewBatch()
	defer b.Close()
	nv := &newVersion{rec: &versionRecord{DeleteMarker: true, LastModified: now()}}
	gone, err := s.addVersion(b, bk, bucket, key, nv)
	if err != nil {
		return objstore.DeleteResult{}, err
	}
	if err := s.commit(b); err != nil {
		return objstore.DeleteResult{}, err
	}
	s.files.release(gone...)
	return objstore.DeleteResult{VersionID: nv.rec.versionID(), DeleteMarker: true}, nil
}

// removeVersion removes one version of key for good, unless its object
// lock forbids it (bypass lets GOVERNANCE retention through). The caller
// holds the key lock.
func (s *Store) removeVersion(bucket, key, versionID string, bypass bool) (objstore.DeleteResult, error) {
	rec, err := findVersion(s.db, bucket, key, versionID)
	if err != nil || rec == nil {
		return objstore.DeleteResult{VersionID: versionID}, err
	}
	if err := checkRemove(bucket, key, rec, bypass); err != nil {
		return objstore.DeleteResult{}, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	dropVersion(b, bucket, key, rec)
	if err := fixLive(b, s.db, bucket, key, rec.Seq); err != nil {
		return objstore.DeleteResult{}, err
	}
	if err := s.commit(b); err != nil {
		return objstore.DeleteResult{}, err
	}
	s.files.release(rec.fileIDs()...)
	return objstore.DeleteResult{VersionID: versionID, DeleteMarker: rec.DeleteMarker}, nil
}

// fixLive adds to b the update of key's L record for the removal of the
// version with seq: when it was the current one, the next newest version
// takes its place (unless that is a delete marker).
func fixLive(b *pebble.Batch, r pebble.Reader, bucket, key string, seq uint64) error {
	first, next, err := newest(r, bucket, key, true)
	if err != nil {
		return fmt.Errorf("versions of %s/%s: %w", bucket, key, err)
	}
	if first == nil || first.Seq != seq {
		return nil
	}
	if next == nil || next.DeleteMarker {
		b.Delete(liveKey(bucket, key), nil)
		return nil
	}
	b.Set(liveKey(bucket, key), next.encode(), nil)
	return nil
}
