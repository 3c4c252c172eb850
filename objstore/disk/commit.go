package disk

import (
	"encoding/binary"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// newVersion is a version ready to commit: its record (seq, tag and null
// flag still to be set) and where its data is.
type newVersion struct {
	rec    *versionRecord
	inline []byte   // data stored under rec.DataID when rec.Inline
	files  []fileID // in-flight files the version owns
}

// addVersion adds rec to batch b as the new current version of key,
// following the bucket's versioning state: when not Enabled it becomes the
// key's null version and replaces the previous one, whose files are
// returned for release after the commit. The caller holds the key lock.
func (s *Store) addVersion(b *pebble.Batch, bk *bucketRecord, bucket, key string, nv *newVersion) ([]fileID, error) {
	seq, err := s.clock.next()
	if err != nil {
		return nil, err
	}
	rec := nv.rec
	if err := applyLock(bk, bucket, rec); err != nil {
		return nil, err
	}
	rec.Seq = seq
	rec.Tag = newVersionTag()
	rec.Null = bk.Versioning != objstore.VersioningEnabled
	var gone []fileID
	if rec.Null {
		if gone, err = s.dropNull(b, bucket, key); err != nil {
			return nil, err
		}
		b.Set(nullKey(bucket, key), binary.BigEndian.AppendUint64(nil, seq), nil)
	}
	v := rec.encode()
	b.Set(versionKey(bucket, key, seq), v, nil)
	if rec.DeleteMarker {
		b.Delete(liveKey(bucket, key), nil)
	} else {
		b.Set(liveKey(bucket, key), v, nil)
	}
	if rec.Inline {
		b.Set(dataKey(rec.DataID), nv.inline, nil)
	}
	return gone, nil
}

// dropNull adds to b the removal of key's null version, if it has one,
// and returns its files.
func (s *Store) dropNull(b *pebble.Batch, bucket, key string) ([]fileID, error) {
	seq, ok, err := nullSeq(s.db, bucket, key)
	if err != nil || !ok {
		return nil, err
	}
	old, err := getVersionRecord(s.db, bucket, key, seq)
	if err != nil || old == nil {
		return nil, err
	}
	dropVersion(b, bucket, key, old)
	return old.fileIDs(), nil
}

// dropVersion adds to b the removal of a version's records (not of its
// files, nor the fix-up of the L key).
func dropVersion(b *pebble.Batch, bucket, key string, rec *versionRecord) {
	b.Delete(versionKey(bucket, key, rec.Seq), nil)
	if rec.Null {
		b.Delete(nullKey(bucket, key), nil)
	}
	if rec.Inline {
		b.Delete(dataKey(rec.DataID), nil)
	}
}

// commitVersion commits nv as the new current version of key, once cond
// holds on the current one. The new files leave flight on success; on
// failure the caller discards them.
func (s *Store) commitVersion(bucket, key string, nv *newVersion, cond writeCond) (objstore.ObjectInfo, error) {
	leave, err := s.enter()
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	bk, err := getBucket(s.db, bucket)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	if cond != (writeCond{}) {
		cur, _, err := newest(s.db, bucket, key, false)
		if err != nil {
			return objstore.ObjectInfo{}, err
		}
		if err := cond.check(cur); err != nil {
			return objstore.ObjectInfo{}, fmt.Errorf("%s/%s: %w", bucket, key, err)
		}
	}
	b := s.db.NewBatch()
	defer b.Close()
	gone, err := s.addVersion(b, bk, bucket, key, nv)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	if err := s.commit(b); err != nil {
		return objstore.ObjectInfo{}, err
	}
	s.files.committed(nv.files...)
	s.files.release(gone...)
	info := nv.rec.info(bucket, key)
	info.IsLatest = true
	return info, nil
}

// commit applies a batch durably.
func (s *Store) commit(b *pebble.Batch) error {
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit metadata: %w", err)
	}
	return nil
}
