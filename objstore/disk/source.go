package disk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// source is the version a copy reads, held open: its inline data, or its
// files pinned until release.
type source struct {
	bucket, key string
	rec         *versionRecord
	inline      []byte // in the clear
	pinned      []fileID
	dataKey     *sse.DataKey // decrypts the files, when encrypted
}

// openSource resolves and holds the version a copy reads, after checking
// the copy-source conditions (any failure of which is a 412, as S3 has it).
func (s *Store) openSource(ctx context.Context, cs objstore.CopySource) (*source, error) {
	if err := objstore.ValidateKey(cs.Key); err != nil {
		return nil, err
	}
	for range maxReadRetries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src, err := s.tryOpenSource(cs)
		if src != nil || err != nil {
			return s.unsealSource(ctx, src, cs, err)
		}
	}
	return nil, fmt.Errorf("copy source %s/%s: version kept changing: %w", cs.Bucket, cs.Key, objstore.ErrServiceUnavailable)
}

func (s *Store) tryOpenSource(cs objstore.CopySource) (*source, error) {
	leave, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	rec, err := resolve(s.db, cs.Bucket, cs.Key, cs.VersionID)
	if err != nil {
		return nil, fmt.Errorf("copy source: %w", err)
	}
	if err := checkRead(cs.Conditions, rec.ETag, rec.info("", "").LastModified); err != nil {
		if errors.Is(err, objstore.ErrNotModified) {
			return nil, fmt.Errorf("copy source: %v: %w", err, objstore.ErrPreconditionFailed)
		}
		return nil, fmt.Errorf("copy source: %w", err)
	}
	if err := readableNow(cs.Bucket, cs.Key, rec, time.Now()); err != nil {
		return nil, fmt.Errorf("copy source: %w", err)
	}
	src := &source{bucket: cs.Bucket, key: cs.Key, rec: rec}
	if rec.Inline {
		data, ok, err := getValue(s.db, dataKey(rec.DataID))
		if err != nil || !ok {
			return nil, err
		}
		src.inline = data
		return src, nil
	}
	ok, err := s.pinVersion(cs.Bucket, cs.Key, rec)
	if err != nil || !ok {
		return nil, err
	}
	src.pinned = rec.fileIDs()
	return src, nil
}

// release lets go of the source's files.
func (s *Store) releaseSource(src *source) {
	if src.pinned != nil {
		s.files.unpin(src.pinned)
		src.pinned = nil
	}
}

// reader reads length bytes of the source from offset. The source's pins
// cover it: it holds none of its own.
func (s *Store) sourceReader(src *source, offset, length int64) io.ReadCloser {
	if src.rec.Inline {
		return io.NopCloser(bytes.NewReader(src.inline[offset : offset+length]))
	}
	if src.dataKey != nil {
		return newCryptReader(s.files, s.layout, src.dataKey, &s.readBufs, src.rec.Segments, nil, offset, length)
	}
	return newSegmentReader(s.files, s.layout, src.rec.Segments, nil, offset, length)
}

// simpleFile tells whether the source is one file whose MD5 is its ETag.
func (src *source) simpleFile() bool {
	return !src.rec.Inline && src.rec.PartsCount == 0 && len(src.rec.Segments) == 1
}
