package disk

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// ListObjectVersions lists every version and delete marker of a bucket's
// keys: keys in byte order, each key's versions newest first.
func (s *Store) ListObjectVersions(ctx context.Context, bucket string, opts objstore.ListVersionsOptions) (objstore.ListVersionsResult, error) {
	var res objstore.ListVersionsResult
	if opts.MaxKeys < 0 {
		return res, fmt.Errorf("max-keys %d: %w", opts.MaxKeys, objstore.ErrInvalidMaxKeys)
	}
	if opts.VersionIDMarker != "" && opts.KeyMarker == "" {
		return res, fmt.Errorf("version-id-marker without key-marker: %w", objstore.ErrInvalidArgument)
	}
	w := &walk{family: prefixVersion, bucket: bucket, prefix: opts.Prefix, delimiter: opts.Delimiter, limit: pageSize(opts.MaxKeys)}
	leave, err := s.enter()
	if err != nil {
		return res, err
	}
	defer leave()
	if _, err := getBucket(s.db, bucket); err != nil {
		return res, err
	}
	midKey, err := s.startVersions(w, opts)
	if err != nil {
		return res, err
	}
	lastKey := ""
	if midKey {
		lastKey = opts.KeyMarker // versions after the marker are not the latest
	}
	var lastCP bool
	res.IsTruncated, err = w.run(s.db, walkFuncs{
		entry: func(key string, k, v []byte) error {
			rec, err := decodeVersion(v)
			if err != nil {
				return fmt.Errorf("list versions of %s at %q: %w", bucket, key, err)
			}
			info := rec.info(bucket, key)
			info.IsLatest = key != lastKey
			res.Versions = append(res.Versions, info)
			lastKey, lastCP = key, false
			return nil
		},
		commonPrefix: func(cp string) {
			res.CommonPrefixes = append(res.CommonPrefixes, cp)
			lastCP = true
		},
	})
	if err != nil {
		return objstore.ListVersionsResult{}, err
	}
	if res.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = nextVersionMarkers(&res, lastCP)
	}
	return res, nil
}

func nextVersionMarkers(res *objstore.ListVersionsResult, lastCP bool) (string, string) {
	if lastCP {
		return res.CommonPrefixes[len(res.CommonPrefixes)-1], ""
	}
	v := res.Versions[len(res.Versions)-1]
	return v.Key, v.VersionID
}

// startVersions positions a version listing after its markers. midKey
// tells that it starts within the versions of the key marker.
func (s *Store) startVersions(w *walk, opts objstore.ListVersionsOptions) (midKey bool, err error) {
	if opts.KeyMarker == "" {
		return false, nil
	}
	if opts.VersionIDMarker == "" {
		w.start = w.after(opts.KeyMarker)
		return false, nil
	}
	var seq uint64
	if opts.VersionIDMarker == objstore.NullVersionID {
		var ok bool
		if seq, ok, err = nullSeq(s.db, w.bucket, opts.KeyMarker); err != nil {
			return false, err
		}
		if !ok {
			w.start = w.after(opts.KeyMarker)
			return false, nil
		}
	} else if seq, _, err = parseVersionID(opts.VersionIDMarker); err != nil {
		return false, err
	}
	w.start = append(versionKey(w.bucket, opts.KeyMarker, seq), 0)
	return true, nil
}
