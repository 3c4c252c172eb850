package disk

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// CopyObject copies a version server side. The copy gets new names for
// the source's data files as hard links (no byte is copied; each version
// still owns its own names), falling back to a byte copy where links are
// not possible. It keeps the source's ETag, checksum and parts.
func (s *Store) CopyObject(ctx context.Context, dstBucket, dstKey string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	if err := validateCopy(dstKey, &opts); err != nil {
		return objstore.ObjectInfo{}, err
	}
	cond := writeCond{opts.IfMatch, opts.IfNoneMatch}
	if err := cond.validate(); err != nil {
		return objstore.ObjectInfo{}, err
	}
	src, err := s.openSource(ctx, opts.Source)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	defer s.releaseSource(src)
	if copyToItself(dstBucket, dstKey, &opts, src.rec) {
		return objstore.ObjectInfo{}, fmt.Errorf("copy %s/%s onto itself: %w", dstBucket, dstKey, objstore.ErrCopyToItself)
	}
	want, err := s.writeEncryption(dstBucket, opts.Encryption)
	if err != nil {
		return objstore.ObjectInfo{}, err
	}
	nv, err := s.copyVersion(ctx, src, copyMeta(&opts, src.rec), want, dstBucket, dstKey)
	if err != nil {
		return objstore.ObjectInfo{}, fmt.Errorf("copy to %s/%s: %w", dstBucket, dstKey, err)
	}
	nv.rec.setLock(opts.Lock)
	info, err := s.commitVersion(dstBucket, dstKey, nv, cond)
	if err != nil {
		s.files.discard(nv.files...)
		return objstore.ObjectInfo{}, fmt.Errorf("copy to %s/%s: %w", dstBucket, dstKey, err)
	}
	return info, nil
}

func validateCopy(dstKey string, opts *objstore.CopyOptions) error {
	if err := objstore.ValidateKey(dstKey); err != nil {
		return err
	}
	for _, d := range []*objstore.MetadataDirective{&opts.MetadataDirective, &opts.TaggingDirective} {
		switch *d {
		case "":
			*d = objstore.MetadataCopy
		case objstore.MetadataCopy, objstore.MetadataReplace:
		default:
			return fmt.Errorf("directive %q: %w", *d, objstore.ErrInvalidArgument)
		}
	}
	m := opts.Meta
	if opts.MetadataDirective == objstore.MetadataCopy {
		m.UserMetadata = nil
	}
	if opts.TaggingDirective == objstore.MetadataCopy {
		m.Tags = nil
	}
	return objstore.ValidateMeta(&m)
}

// copyToItself tells whether a copy would change nothing: same key, no
// source version, same metadata and storage class.
func copyToItself(dstBucket, dstKey string, opts *objstore.CopyOptions, src *versionRecord) bool {
	return dstBucket == opts.Source.Bucket && dstKey == opts.Source.Key &&
		opts.Source.VersionID == "" &&
		opts.MetadataDirective != objstore.MetadataReplace && !sse.Encrypted(opts.Encryption) &&
		(opts.Meta.StorageClass == "" || opts.Meta.StorageClass == src.Meta.StorageClass)
}

// copyMeta is the destination's metadata under the copy's directives.
// As in S3, the storage class is the one asked for, else STANDARD: it is
// not copied.
func copyMeta(opts *objstore.CopyOptions, src *versionRecord) objstore.ObjectMeta {
	m := src.Meta
	if opts.MetadataDirective == objstore.MetadataReplace {
		m = opts.Meta
		m.Tags = src.Meta.Tags
	}
	if opts.TaggingDirective == objstore.MetadataReplace {
		m.Tags = opts.Meta.Tags
	}
	m.StorageClass = opts.Meta.StorageClass
	return normalizeMeta(m)
}

// cloneVersion makes a new version with the source's data under new
// names, in flight.
func (s *Store) cloneVersion(src *source, meta objstore.ObjectMeta) (*newVersion, error) {
	r := src.rec
	rec := &versionRecord{
		Size: r.Size, ETag: r.ETag, LastModified: now(), Meta: meta,
		Checksum: r.Checksum, PartsCount: r.PartsCount, SSE: r.SSE, SealedKey: r.SealedKey,
	}
	nv := &newVersion{rec: rec}
	if r.Inline {
		rec.Inline, rec.DataID, nv.inline = true, newFileID(), src.inline
		return nv, nil
	}
	for _, seg := range r.Segments {
		id, err := s.cloneFile(seg.ID)
		if err != nil {
			s.files.discard(nv.files...)
			return nil, err
		}
		nv.files = append(nv.files, id)
		rec.Segments = append(rec.Segments, segment{ID: id, Size: seg.Size})
	}
	if err := s.syncFanouts(nv.files); err != nil {
		s.files.discard(nv.files...)
		return nil, err
	}
	return nv, nil
}

// cloneFile gives a data file's bytes a new, in-flight name: a hard link,
// or a copy where the file system refuses links. The caller syncs the new
// name's folder.
func (s *Store) cloneFile(src fileID) (fileID, error) {
	if id, err := s.files.link(src); err == nil {
		return id, nil
	} else if _, serr := os.Stat(s.layout.dataFile(src)); serr != nil {
		return id, err
	}
	return s.copyFile(src)
}

// copyFile copies a data file's bytes into a new in-flight file.
func (s *Store) copyFile(src fileID) (id fileID, err error) {
	in, err := os.Open(s.layout.dataFile(src))
	if err != nil {
		return id, fmt.Errorf("open data file: %w", err)
	}
	defer in.Close()
	id, out, err := s.files.create()
	if err != nil {
		return id, err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		s.files.discard(id)
		return id, fmt.Errorf("copy data file %s: %w", src, err)
	}
	if err := syncClose(out); err != nil {
		s.files.discard(id)
		return id, err
	}
	return id, nil
}

// syncFanouts fsyncs the folders of new data files, each once.
func (s *Store) syncFanouts(ids []fileID) error {
	done := map[byte]bool{}
	for _, id := range ids {
		if done[id[0]] {
			continue
		}
		done[id[0]] = true
		if err := syncDir(s.layout.fanout(id[0])); err != nil {
			return err
		}
	}
	return nil
}
