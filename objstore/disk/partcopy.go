package disk

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// UploadPartCopy stores one part of an upload copied from (a range of) a
// version. A whole simple object is hard-linked, not copied, when the
// upload asks for no checksum.
func (s *Store) UploadPartCopy(ctx context.Context, bucket, key, uploadID string, partNumber int, opts objstore.PartCopyOptions) (objstore.PartInfo, error) {
	if err := checkPartNumber(partNumber); err != nil {
		return objstore.PartInfo{}, err
	}
	up, err := s.readUpload(bucket, key, uploadID)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	src, err := s.openSource(ctx, opts.Source)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	defer s.releaseSource(src)
	offset, length, err := copyRange(opts.Range, src.rec.Size)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	if length > objstore.MaxPartSize {
		return objstore.PartInfo{}, fmt.Errorf("part of %d bytes (at most %d): %w", length, int64(objstore.MaxPartSize), objstore.ErrEntityTooLarge)
	}
	dk, err := s.openDataKey(ctx, bucket, key, up.SSE, up.SealedKey, opts.SSECustomerKey)
	if err != nil {
		return objstore.PartInfo{}, err
	}
	part, err := s.copyPart(ctx, src, up, dk, offset, length)
	if err != nil {
		return objstore.PartInfo{}, fmt.Errorf("copy part %d of %s/%s: %w", partNumber, bucket, key, err)
	}
	if err := s.commitPart(bucket, key, uploadID, partNumber, part); err != nil {
		s.files.discard(part.ID)
		return objstore.PartInfo{}, err
	}
	return part.info(partNumber, up.ChecksumAlgorithm), nil
}

// copyRange resolves x-amz-copy-source-range: first-last, both within
// the source; nil means the whole source.
func copyRange(r *objstore.Range, size int64) (offset, length int64, err error) {
	switch {
	case r == nil:
		return 0, size, nil
	case r.SuffixLength > 0 || r.Last < 0 || r.First < 0 || r.Last < r.First:
		return 0, 0, fmt.Errorf("copy source range %s: %w", r, objstore.ErrInvalidCopySourceRange)
	case r.Last >= size:
		return 0, 0, fmt.Errorf("copy source range %s of %d bytes: %w", r, size, objstore.ErrInvalidRange)
	}
	return r.First, r.Last - r.First + 1, nil
}

// copyPart puts the bytes of a part copy in a new in-flight file.
func (s *Store) copyPart(ctx context.Context, src *source, up *uploadRecord, dk *sse.DataKey, offset, length int64) (*partRecord, error) {
	part := &partRecord{Size: length, LastModified: now()}
	if up.ChecksumAlgorithm == "" && src.simpleFile() && length == src.rec.Size && src.dataKey == nil && dk == nil {
		id, err := s.cloneFile(src.rec.Segments[0].ID)
		if err != nil {
			return nil, err
		}
		if err := s.syncFanouts([]fileID{id}); err != nil {
			s.files.discard(id)
			return nil, err
		}
		part.ID, part.ETag = id, src.rec.ETag
		return part, nil
	}
	spec := writeSpec{size: length, max: objstore.MaxPartSize, key: dk}
	if up.ChecksumAlgorithm != "" {
		spec.checksum = &objstore.Checksum{Algorithm: up.ChecksumAlgorithm}
	}
	body := s.sourceReader(src, offset, length)
	defer body.Close()
	st, err := s.writeBody(ctx, body, spec)
	if err != nil {
		return nil, err
	}
	part.ID, part.ETag, part.Checksum = st.id, fmt.Sprintf("%x", st.md5), st.checksum
	return part, nil
}
