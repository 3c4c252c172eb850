package disk

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cockroachdb/pebble/v2"
)

// CompleteMultipartUpload makes the listed parts the new current version
// of key. The parts' files become the version's segments: no byte is
// copied. Parts uploaded but not listed are discarded.
func (s *Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletedPart, opts objstore.CompleteOptions) (objstore.ObjectInfo, error) {
	if err := checkPartList(parts); err != nil {
		return objstore.ObjectInfo{}, err
	}
	cond := writeCond{opts.IfMatch, opts.IfNoneMatch}
	if err := cond.validate(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	leave, err := s.enter()
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer leave()
	unlock := s.locks.lockKey(bucket, key)
	defer unlock()
	info, err := s.complete(bucket, key, uploadID, parts, cond)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("complete upload %s of %s/%s: %w", uploadID, bucket, key, err)
	}
	return info, nil
}

// checkPartList checks the part list's shape: not empty, ascending.
func checkPartList(parts []objstore.CompletedPart) error {
	if len(parts) == 0 {
		return fmt.Errorf("no parts to complete: %w", objstore.ErrMalformedXML)
	}
	for i, p := range parts {
		if p.PartNumber < 1 || p.PartNumber > objstore.MaxPartNumber {
			return fmt.Errorf("part number %d: %w", p.PartNumber, objstore.ErrInvalidPart)
		}
		if i > 0 && p.PartNumber <= parts[i-1].PartNumber {
			return fmt.Errorf("part %d after part %d: %w", p.PartNumber, parts[i-1].PartNumber, objstore.ErrInvalidPartOrder)
		}
	}
	return nil
}

// complete does the work of CompleteMultipartUpload under the key lock.
func (s *Store) complete(bucket, key, uploadID string, parts []objstore.CompletedPart, cond writeCond) (objstore.ObjectInfo, error) {
	bk, err := getBucket(s.db, bucket)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	up, err := getUpload(s.db, bucket, key, uploadID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	have, err := readParts(s.db, uploadID)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	rec, err := assemble(up, parts, have)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	cur, _, err := newest(s.db, bucket, key, false)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	if err := cond.check(cur); err != nil {
		return objstore.ObjectInfo{}, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	gone, err := s.addVersion(b, bk, bucket, key, &newVersion{rec: rec})
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	b.Delete(uploadKey(bucket, key, uploadID), nil)
	p := partsOf(uploadID)
	b.DeleteRange(p, prefixEnd(p), nil)
	if err := s.commit(b); err != nil {
		return objstore.ObjectInfo{}, err
	}
	s.files.release(gone...)
	s.files.release(unusedParts(parts, have)...)
	info := rec.info(bucket, key)
	info.IsLatest = true
	return info, nil
}

// readParts reads every part record of an upload by part number.
func readParts(r pebble.Reader, uploadID string) (map[int]*partRecord, error) {
	have := map[int]*partRecord{}
	p := partsOf(uploadID)
	err := scanRange(r, p, func(k, v []byte) error {
		if len(k) != len(p)+4 {
			return fmt.Errorf("part key %q: %w", k, errBadKey)
		}
		part, err := decodePart(v)
		if err != nil {
			return err
		}
		have[int(binary.BigEndian.Uint32(k[len(p):]))] = part
		return nil
	})
	return have, err
}

// assemble builds the version record of the completed object from the
// listed parts, checking each against what was uploaded.
func assemble(up *uploadRecord, parts []objstore.CompletedPart, have map[int]*partRecord) (*versionRecord, error) {
	rec := &versionRecord{LastModified: now(), Meta: up.Meta, PartsCount: len(parts), SSE: up.SSE, SealedKey: up.SealedKey}
	rec.setLock(up.Lock)
	sums := md5.New()
	var checksums []string
	for i, p := range parts {
		part := have[p.PartNumber]
		if part == nil || unquote(p.ETag) != part.ETag {
			return nil, fmt.Errorf("part %d with etag %s: %w", p.PartNumber, p.ETag, objstore.ErrInvalidPart)
		}
		if p.Checksum != "" && p.Checksum != part.Checksum {
			return nil, fmt.Errorf("part %d checksum %s, uploaded with %q: %w", p.PartNumber, p.Checksum, part.Checksum, objstore.ErrInvalidPart)
		}
		if i < len(parts)-1 && part.Size < objstore.MinPartSize {
			return nil, fmt.Errorf("part %d of %d bytes (at least %d): %w", p.PartNumber, part.Size, objstore.MinPartSize, objstore.ErrEntityTooSmall)
		}
		raw, err := hex.DecodeString(part.ETag)
		if err != nil {
			return nil, fmt.Errorf("part %d etag %q: %w", p.PartNumber, part.ETag, objstore.ErrInternal)
		}
		sums.Write(raw)
		rec.Size += part.Size
		rec.Segments = append(rec.Segments, segment{ID: part.ID, Size: part.Size})
		if part.Checksum != "" {
			checksums = append(checksums, part.Checksum)
		}
	}
	if rec.Size > objstore.MaxObjectSize {
		return nil, fmt.Errorf("object of %d bytes (at most %d): %w", rec.Size, objstore.MaxObjectSize, objstore.ErrEntityTooLarge)
	}
	rec.ETag = fmt.Sprintf("%x-%d", sums.Sum(nil), len(parts))
	if up.ChecksumAlgorithm != "" && len(checksums) == len(parts) {
		v, err := objstore.CompositeChecksum(up.ChecksumAlgorithm, checksums)
		if err != nil {
			return nil, err
		}
		rec.Checksum = &objstore.Checksum{Algorithm: up.ChecksumAlgorithm, Value: v, Type: objstore.ChecksumTypeComposite}
	}
	return rec, nil
}

// unusedParts lists the files of parts uploaded but not completed.
func unusedParts(parts []objstore.CompletedPart, have map[int]*partRecord) []fileID {
	used := make(map[int]bool, len(parts))
	for _, p := range parts {
		used[p.PartNumber] = true
	}
	var ids []fileID
	for n, part := range have {
		if !used[n] {
			ids = append(ids, part.ID)
		}
	}
	return ids
}
