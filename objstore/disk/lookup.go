package disk

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// getValue reads a key; found is false when it is absent. The value is a
// copy the caller may keep.
func getValue(r pebble.Reader, k []byte) (v []byte, found bool, err error) {
	raw, closer, err := r.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read metadata: %w", err)
	}
	defer closer.Close()
	return append([]byte(nil), raw...), true, nil
}

// has tells whether a key is present.
func has(r pebble.Reader, k []byte) (bool, error) {
	_, closer, err := r.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read metadata: %w", err)
	}
	closer.Close()
	return true, nil
}

// readBucket returns the record of a bucket, read in one step of the
// store (it fails with objstore.ErrNoSuchBucket, or once the store is
// closed).
func (s *Store) readBucket(bucket string) (*bucketRecord, error) {
	leave, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	return getBucket(s.db, bucket)
}

// getBucket reads a bucket's record, or fails with ErrNoSuchBucket.
func getBucket(r pebble.Reader, bucket string) (*bucketRecord, error) {
	v, ok, err := getValue(r, bucketKey(bucket))
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("bucket %s: %w", bucket, objstore.ErrNoSuchBucket)
	}
	return decodeBucket(v)
}

// getVersionRecord reads the version of key with the given seq, or nil.
func getVersionRecord(r pebble.Reader, bucket, key string, seq uint64) (*versionRecord, error) {
	v, ok, err := getValue(r, versionKey(bucket, key, seq))
	if err != nil || !ok {
		return nil, err
	}
	return decodeVersion(v)
}

// newest reads the newest version of key (maybe a delete marker) and the
// one below it when withNext is set; nil when there is none.
func newest(r pebble.Reader, bucket, key string, withNext bool) (first, next *versionRecord, err error) {
	p := versionsOf(bucket, key)
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return nil, nil, fmt.Errorf("read versions of %s/%s: %w", bucket, key, err)
	}
	defer it.Close()
	recs := make([]*versionRecord, 0, 2)
	for ok := it.First(); ok && len(recs) < 2; ok = it.Next() {
		if len(it.Key()) != len(p)+seqBytes {
			continue
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return nil, nil, fmt.Errorf("read versions of %s/%s: %w", bucket, key, err)
		}
		rec, err := decodeVersion(v)
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, rec)
		if !withNext {
			break
		}
	}
	if err := it.Error(); err != nil {
		return nil, nil, fmt.Errorf("read versions of %s/%s: %w", bucket, key, err)
	}
	switch len(recs) {
	case 0:
		return nil, nil, nil
	case 1:
		return recs[0], nil, nil
	}
	return recs[0], recs[1], nil
}

// nullSeq reads the seq of key's null version; ok is false when it has none.
func nullSeq(r pebble.Reader, bucket, key string) (uint64, bool, error) {
	v, ok, err := getValue(r, nullKey(bucket, key))
	if err != nil || !ok {
		return 0, false, err
	}
	if len(v) != seqBytes {
		return 0, false, fmt.Errorf("null version of %s/%s: %w", bucket, key, errShortRecord)
	}
	return binary.BigEndian.Uint64(v), true, nil
}

// findVersion reads the version of key that versionID names ("null" or
// one of ours). It returns nil when there is no such version, and fails
// with ErrInvalidVersionID when versionID cannot be one of ours.
func findVersion(r pebble.Reader, bucket, key, versionID string) (*versionRecord, error) {
	if versionID == objstore.NullVersionID {
		seq, ok, err := nullSeq(r, bucket, key)
		if err != nil || !ok {
			return nil, err
		}
		return getVersionRecord(r, bucket, key, seq)
	}
	seq, tag, err := parseVersionID(versionID)
	if err != nil {
		return nil, err
	}
	rec, err := getVersionRecord(r, bucket, key, seq)
	if err != nil || rec == nil || rec.Null || rec.Tag != tag {
		return nil, err
	}
	return rec, nil
}

// resolve finds the version a read of key addresses: the current one, or
// the one versionID names. It fails as S3 does: ErrNoSuchBucket,
// ErrNoSuchKey, ErrNoSuchVersion, or a DeleteMarkerError when the version
// is a delete marker.
func resolve(r pebble.Reader, bucket, key, versionID string) (*versionRecord, error) {
	if versionID != "" {
		return resolveVersion(r, bucket, key, versionID)
	}
	if v, ok, err := getValue(r, liveKey(bucket, key)); err != nil {
		return nil, err
	} else if ok {
		return decodeVersion(v)
	}
	cur, _, err := newest(r, bucket, key, false)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		if _, err := getBucket(r, bucket); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s/%s: %w", bucket, key, objstore.ErrNoSuchKey)
	}
	if cur.DeleteMarker {
		return nil, markerError(cur, objstore.ErrNoSuchKey)
	}
	return cur, nil
}

func resolveVersion(r pebble.Reader, bucket, key, versionID string) (*versionRecord, error) {
	rec, err := findVersion(r, bucket, key, versionID)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		if _, err := getBucket(r, bucket); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s/%s version %s: %w", bucket, key, versionID, objstore.ErrNoSuchVersion)
	}
	if rec.DeleteMarker {
		return nil, markerError(rec, objstore.ErrMethodNotAllowed)
	}
	return rec, nil
}

func markerError(rec *versionRecord, err error) error {
	return &objstore.DeleteMarkerError{
		VersionID:    rec.versionID(),
		LastModified: rec.info("", "").LastModified,
		Err:          err,
	}
}
