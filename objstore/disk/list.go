package disk

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// Continuation tokens are opaque to clients: base64 of a kind byte and
// the last key or common prefix of the page before.
const (
	tokenKey    = 'k'
	tokenPrefix = 'p'
)

func makeToken(kind byte, s string) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{kind}, s...))
}

func parseToken(t string) (kind byte, s string, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(raw) < 2 || (raw[0] != tokenKey && raw[0] != tokenPrefix) {
		return 0, "", fmt.Errorf("continuation token %q: %w", t, objstore.ErrInvalidContinuationToken)
	}
	return raw[0], string(raw[1:]), nil
}

// ListObjects lists the current versions of a bucket's keys, a page at a
// time (ListObjectsV2).
func (s *Store) ListObjects(ctx context.Context, bucket string, opts objstore.ListOptions) (objstore.ListResult, error) {
	var res objstore.ListResult
	if opts.MaxKeys < 0 {
		return res, fmt.Errorf("max-keys %d: %w", opts.MaxKeys, objstore.ErrInvalidMaxKeys)
	}
	w := &walk{family: prefixLive, bucket: bucket, prefix: opts.Prefix, delimiter: opts.Delimiter, limit: pageSize(opts.MaxKeys)}
	if err := w.startObjects(opts); err != nil {
		return res, err
	}
	leave, err := s.enter()
	if err != nil {
		return res, err
	}
	defer leave()
	if _, err := getBucket(s.db, bucket); err != nil {
		return res, err
	}
	var last string
	var lastKind byte
	res.Objects = make([]objstore.ObjectInfo, 0, w.limit)
	res.IsTruncated, err = w.run(s.db, walkFuncs{
		entry: func(key string, _, v []byte) error {
			var rec versionRecord
			if err := rec.decode(v); err != nil {
				return fmt.Errorf("list %s at %q: %w", bucket, key, err)
			}
			res.Objects = append(res.Objects, objstore.ObjectInfo{})
			info := &res.Objects[len(res.Objects)-1]
			rec.fill(info, bucket, key)
			info.IsLatest = true
			last, lastKind = key, tokenKey
			return nil
		},
		commonPrefix: func(cp string) {
			res.CommonPrefixes = append(res.CommonPrefixes, cp)
			last, lastKind = cp, tokenPrefix
		},
	})
	if err != nil {
		return objstore.ListResult{}, err
	}
	if res.IsTruncated {
		res.NextContinuationToken = makeToken(lastKind, last)
	}
	res.WithMetadata = opts.WithMetadata // the records carry it
	return res, nil
}

// startObjects positions a listing after its continuation token, or else
// after StartAfter.
func (w *walk) startObjects(opts objstore.ListOptions) error {
	switch {
	case opts.ContinuationToken != "":
		kind, s, err := parseToken(opts.ContinuationToken)
		if err != nil {
			return err
		}
		if kind == tokenPrefix {
			w.start = prefixEnd(keyPrefix(w.family, w.bucket, s))
		} else {
			w.start = prefixEnd(keyOf(w.family, w.bucket, s))
		}
	case opts.StartAfter != "":
		// A StartAfter that is a common prefix (ListObjects v1's NextMarker)
		// resumes past everything under it.
		w.start = w.after(opts.StartAfter)
	}
	return nil
}
