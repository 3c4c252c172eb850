package disk

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// ListParts lists the parts of an upload by part number, a page at a time.
func (s *Store) ListParts(ctx context.Context, bucket, key, uploadID string, opts objstore.ListPartsOptions) (objstore.ListPartsResult, error) {
	var res objstore.ListPartsResult
	if opts.MaxParts < 0 || opts.PartNumberMarker < 0 {
		return res, fmt.Errorf("max-parts %d, part-number-marker %d: %w", opts.MaxParts, opts.PartNumberMarker, objstore.ErrInvalidArgument)
	}
	leave, err := s.enter()
	if err != nil {
		return res, err
	}
	defer leave()
	up, err := getUpload(s.db, bucket, key, uploadID)
	if err != nil {
		return res, err
	}
	res.StorageClass, res.ChecksumAlgorithm = up.Meta.StorageClass, up.ChecksumAlgorithm
	p := partsOf(uploadID)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: prefixEnd(p)})
	if err != nil {
		return res, fmt.Errorf("list parts of %s: %w", uploadID, err)
	}
	defer it.Close()
	limit := pageSize(opts.MaxParts)
	for ok := it.SeekGE(partKey(uploadID, opts.PartNumberMarker+1)); ok; ok = it.Next() {
		if len(res.Parts) == limit {
			res.IsTruncated = true
			res.NextPartNumberMarker = res.Parts[len(res.Parts)-1].PartNumber
			break
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return res, fmt.Errorf("list parts of %s: %w", uploadID, err)
		}
		part, err := decodePart(v)
		if err != nil {
			return res, err
		}
		n := int(binary.BigEndian.Uint32(it.Key()[len(p):]))
		res.Parts = append(res.Parts, part.info(n, up.ChecksumAlgorithm))
	}
	return res, it.Error()
}

// ListMultipartUploads lists a bucket's uploads in progress: by key, then
// by initiation time.
func (s *Store) ListMultipartUploads(ctx context.Context, bucket string, opts objstore.ListUploadsOptions) (objstore.ListUploadsResult, error) {
	var res objstore.ListUploadsResult
	if opts.MaxUploads < 0 {
		return res, fmt.Errorf("max-uploads %d: %w", opts.MaxUploads, objstore.ErrInvalidArgument)
	}
	w := &walk{family: prefixUpload, bucket: bucket, prefix: opts.Prefix, delimiter: opts.Delimiter, limit: pageSize(opts.MaxUploads)}
	switch {
	case opts.KeyMarker == "":
	case opts.UploadIDMarker == "":
		w.start = w.after(opts.KeyMarker)
	default:
		w.start = append(uploadKey(bucket, opts.KeyMarker, opts.UploadIDMarker), 0)
	}
	leave, err := s.enter()
	if err != nil {
		return res, err
	}
	defer leave()
	if _, err := getBucket(s.db, bucket); err != nil {
		return res, err
	}
	lastCP := false
	res.IsTruncated, err = w.run(s.db, walkFuncs{
		entry: func(key string, k, v []byte) error {
			info, err := uploadInfo(bucket, key, k, v)
			if err != nil {
				return err
			}
			res.Uploads = append(res.Uploads, info)
			lastCP = false
			return nil
		},
		commonPrefix: func(cp string) {
			res.CommonPrefixes = append(res.CommonPrefixes, cp)
			lastCP = true
		},
	})
	if err != nil {
		return objstore.ListUploadsResult{}, err
	}
	if res.IsTruncated {
		if lastCP {
			res.NextKeyMarker = res.CommonPrefixes[len(res.CommonPrefixes)-1]
		} else {
			u := res.Uploads[len(res.Uploads)-1]
			res.NextKeyMarker, res.NextUploadIDMarker = u.Key, u.UploadID
		}
	}
	return res, nil
}

func uploadInfo(bucket, key string, k, v []byte) (objstore.UploadInfo, error) {
	_, rest, err := parseObjectKey(prefixUpload, bucket, k)
	if err != nil {
		return objstore.UploadInfo{}, err
	}
	id, _, err := readString(rest)
	if err != nil {
		return objstore.UploadInfo{}, err
	}
	up, err := decodeUpload(v)
	if err != nil {
		return objstore.UploadInfo{}, err
	}
	return objstore.UploadInfo{
		Key:          key,
		UploadID:     id,
		Initiated:    time.Unix(0, up.Initiated).UTC(),
		StorageClass: up.Meta.StorageClass,
	}, nil
}
