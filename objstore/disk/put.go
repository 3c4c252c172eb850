package disk

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// defaultContentType is what S3 reports for objects stored without one.
const defaultContentType = "binary/octet-stream"

// PutObject stores body as the new current version of key.
//
// With opts.Size >= 0 the body must hold exactly that many bytes: fewer
// fail with ErrIncompleteBody, and so do more (the engine reads one byte
// past Size to check), so a wrong Size never stores a cut object.
func (s *Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	spec, err := s.putSpec(bucket, key, &opts)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	sl, err := s.writeSealing(ctx, bucket, key, opts.Encryption)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	spec.key = sl.dataKey()
	st, err := s.writeBody(ctx, body, spec)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	nv := s.storedVersion(st, opts.ObjectMeta, opts.Checksum)
	sl.apply(nv.rec)
	nv.rec.setLock(opts.Lock)
	info, err := s.commitVersion(bucket, key, nv, writeCond{opts.IfMatch, opts.IfNoneMatch})
	if err != nil {
		s.files.discard(nv.files...)
		return objstore.ObjectInfo{}, fmt.Errorf("put %s/%s: %w", bucket, key, err)
	}
	return info, nil
}

// putSpec validates a put's arguments and says how to take in its body.
func (s *Store) putSpec(bucket, key string, opts *objstore.PutOptions) (writeSpec, error) {
	spec := writeSpec{size: opts.Size, max: objstore.MaxPutSize, inlineBelow: s.opts.InlineThreshold}
	if err := validateWrite(bucket, key, &opts.ObjectMeta); err != nil {
		return spec, err
	}
	if err := (writeCond{opts.IfMatch, opts.IfNoneMatch}).validate(); err != nil {
		return spec, err
	}
	if opts.Size < -1 {
		return spec, fmt.Errorf("size %d: %w", opts.Size, objstore.ErrInvalidArgument)
	}
	var err error
	if spec.contentMD5, err = parseContentMD5(opts.ContentMD5); err != nil {
		return spec, err
	}
	spec.checksum, err = parseChecksum(opts.Checksum)
	return spec, err
}

// validateWrite checks the key and metadata of a write. (A bucket name
// that S3 refuses names no bucket: the lookup fails with ErrNoSuchBucket.)
func validateWrite(_, key string, meta *objstore.ObjectMeta) error {
	if err := objstore.ValidateKey(key); err != nil {
		return err
	}
	if meta != nil {
		return objstore.ValidateMeta(meta)
	}
	return nil
}

// parseContentMD5 decodes a Content-MD5 value; nil when there is none.
func parseContentMD5(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) != 16 {
		return nil, fmt.Errorf("content-md5 %q: %w", v, objstore.ErrInvalidDigest)
	}
	return raw, nil
}

// parseChecksum validates a requested checksum: a known algorithm and, if
// given, a value of the algorithm's length.
func parseChecksum(c *objstore.Checksum) (*objstore.Checksum, error) {
	if c == nil || (c.Algorithm == "" && c.Value == "") {
		return nil, nil
	}
	alg, err := objstore.ParseChecksumAlgorithm(string(c.Algorithm))
	if err != nil {
		return nil, err
	}
	out := &objstore.Checksum{Algorithm: alg, Value: c.Value, Type: objstore.ChecksumTypeFullObject}
	if c.Value != "" {
		h, _ := alg.NewHash()
		raw, err := base64.StdEncoding.DecodeString(c.Value)
		if err != nil || len(raw) != h.Size() {
			return nil, fmt.Errorf("%s checksum %q: %w", alg, c.Value, objstore.ErrInvalidDigest)
		}
	}
	return out, nil
}

// checkBucket fails with ErrNoSuchBucket unless bucket exists.
func (s *Store) checkBucket(bucket string) error {
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	_, err = getBucket(s.db, bucket)
	return err
}

// storedVersion makes the version record of a body taken in.
func (s *Store) storedVersion(st *stored, meta objstore.ObjectMeta, c *objstore.Checksum) *newVersion {
	rec := &versionRecord{
		Size:         st.size,
		ETag:         hex.EncodeToString(st.md5),
		LastModified: now(),
		Meta:         normalizeMeta(meta),
	}
	if c != nil {
		rec.Checksum = &objstore.Checksum{Algorithm: c.Algorithm, Value: st.checksum, Type: objstore.ChecksumTypeFullObject}
	}
	nv := &newVersion{rec: rec}
	if st.isInline {
		rec.Inline, rec.DataID, nv.inline = true, newFileID(), st.inline
	} else {
		rec.Segments = []segment{{ID: st.id, Size: st.size}}
		nv.files = []fileID{st.id}
	}
	return nv
}

// normalizeMeta fills S3's defaults into metadata and copies its maps,
// so that the record owns them.
func normalizeMeta(m objstore.ObjectMeta) objstore.ObjectMeta {
	if m.ContentType == "" {
		m.ContentType = defaultContentType
	}
	if m.StorageClass == "" {
		m.StorageClass = objstore.DefaultStorageClass
	}
	m.UserMetadata = objstore.LowerMetadataKeys(m.UserMetadata)
	m.Tags = cloneMap(m.Tags)
	return m
}

func cloneMap[M ~map[string]string](m M) M {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

// now is the time of a write, at the millisecond resolution S3 reports.
func now() int64 {
	return time.Now().Truncate(time.Millisecond).UnixNano()
}
