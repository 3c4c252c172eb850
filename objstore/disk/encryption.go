package disk

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// Keys makes and opens the data keys of encrypted versions;
// objstore/sse's Service is the one implementation.
type Keys interface {
	// NewDataKey makes a data key for a version encrypted as enc and
	// returns it, sealed, with the encryption to record.
	NewDataKey(ctx context.Context, enc objstore.Encryption, use sse.Use) (*sse.DataKey, []byte, objstore.Encryption, error)
	// OpenDataKey opens a sealed data key; customer is the SSE-C key a
	// read gives.
	OpenDataKey(ctx context.Context, enc objstore.Encryption, sealed, customer []byte, use sse.Use) (*sse.DataKey, error)
}

// sealing is the encryption of data being written: its data key, the
// sealed key and the encryption to record.
type sealing struct {
	key    *sse.DataKey
	enc    objstore.Encryption
	sealed []byte
}

// dataKey is the data key of a write, or nil when it is not encrypted.
func (sl *sealing) dataKey() *sse.DataKey {
	if sl == nil {
		return nil
	}
	return sl.key
}

// apply records the encryption on a version.
func (sl *sealing) apply(rec *versionRecord) {
	if sl != nil {
		rec.SSE, rec.SealedKey = sl.enc, sl.sealed
	}
}

// writeEncryption is the encryption a write gets: the one it asks for,
// else its bucket's default, else none (zero). It fails with
// ErrNoSuchBucket when the bucket does not exist.
func (s *Store) writeEncryption(bucket string, enc objstore.Encryption) (objstore.Encryption, error) {
	leave, err := s.enter()
	if err != nil {
		return enc, err
	}
	defer leave()
	bk, err := getBucket(s.db, bucket)
	if err != nil || sse.Encrypted(enc) {
		return enc, err
	}
	doc, ok := bk.Configs[sse.ConfigName]
	if !ok {
		return enc, nil
	}
	d, err := sse.ParseBucketDefault([]byte(doc))
	if err != nil {
		return enc, fmt.Errorf("bucket %s: %w", bucket, err)
	}
	return d.Encryption(), nil
}

// newSealing makes the data key of a write encrypted as enc; nil when enc
// asks for no encryption.
func (s *Store) newSealing(ctx context.Context, bucket, key string, enc objstore.Encryption) (*sealing, error) {
	if !sse.Encrypted(enc) {
		return nil, nil
	}
	if s.opts.Keys == nil {
		return nil, fmt.Errorf("encryption at rest without a key service: %w", objstore.ErrNotImplemented)
	}
	k, sealed, out, err := s.opts.Keys.NewDataKey(ctx, enc, sse.Use{Bucket: bucket, Key: key})
	if err != nil {
		return nil, fmt.Errorf("encrypt %s/%s: %w", bucket, key, err)
	}
	return &sealing{key: k, enc: out, sealed: sealed}, nil
}

// writeSealing decides and prepares a write's encryption.
func (s *Store) writeSealing(ctx context.Context, bucket, key string, enc objstore.Encryption) (*sealing, error) {
	enc, err := s.writeEncryption(bucket, enc)
	if err != nil {
		return nil, err
	}
	return s.newSealing(ctx, bucket, key, enc)
}

// openDataKey opens the data key of data encrypted as enc (nil when it is
// not), checking the SSE-C key a read gives.
func (s *Store) openDataKey(ctx context.Context, bucket, key string, enc objstore.Encryption, sealed, customer []byte) (*sse.DataKey, error) {
	if len(sealed) == 0 {
		if err := sse.CheckCustomerKey(enc, customer); err != nil {
			return nil, fmt.Errorf("read %s/%s: %w", bucket, key, err)
		}
		return nil, nil
	}
	if s.opts.Keys == nil {
		return nil, fmt.Errorf("read %s/%s: encrypted, and no key service: %w", bucket, key, objstore.ErrNotImplemented)
	}
	k, err := s.opts.Keys.OpenDataKey(ctx, enc, sealed, customer, sse.Use{Bucket: bucket, Key: key})
	if err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", bucket, key, err)
	}
	return k, nil
}

// sameEncryption tells whether data encrypted as have may be shared
// as it is by a version to be encrypted as want.
func sameEncryption(have, want objstore.Encryption) bool {
	if len(want.CustomerKey) > 0 {
		return sse.IsCustomer(have) && have.CustomerKeyMD5 == sse.KeyMD5(want.CustomerKey)
	}
	return !sse.IsCustomer(have) && have.Algorithm == want.Algorithm &&
		have.KMSKeyID == want.KMSKeyID && have.KMSContext == want.KMSContext
}

// plainInline returns the data of an inline version in the clear.
func plainInline(rec *versionRecord, data []byte, k *sse.DataKey) ([]byte, error) {
	if k != nil {
		plain, err := sse.Decrypt(k, data, rec.Size)
		if err != nil {
			return nil, fmt.Errorf("inline data: %w", err)
		}
		data = plain
	}
	if int64(len(data)) != rec.Size {
		return nil, fmt.Errorf("inline data holds %d bytes, not %d: %w", len(data), rec.Size, objstore.ErrInternal)
	}
	return data, nil
}

// encryptTo returns the writer a body goes through into f: f itself, or
// when k is set a writer that encrypts on a goroutine of its own, while
// the next bytes are read. Close ends the encryption (and leaves f open).
func encryptTo(f *os.File, k *sse.DataKey) (io.WriteCloser, error) {
	if k == nil {
		return nopWriteCloser{f}, nil
	}
	w, err := sse.NewWriter(f, k)
	if err != nil {
		return nil, fmt.Errorf("encrypt %s: %w", f.Name(), err)
	}
	return sse.NewPipeWriter(w), nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// sealInline encrypts an inline body in place when k is set.
func sealInline(st *stored, k *sse.DataKey) error {
	if k == nil {
		return nil
	}
	enc, err := sse.Encrypt(k, st.inline)
	if err != nil {
		return fmt.Errorf("encrypt inline data: %w", err)
	}
	st.inline = enc
	return nil
}

// applyUpload records the encryption on a multipart upload.
func (sl *sealing) applyUpload(up *uploadRecord) {
	if sl != nil {
		up.SSE, up.SealedKey = sl.enc, sl.sealed
	}
}

// encodeSSE appends an encryption and a sealed key to a record.
func encodeSSE(e *encoder, enc *objstore.Encryption, sealed []byte) {
	e.str(enc.Algorithm)
	e.str(enc.KMSKeyID)
	e.str(enc.KMSContext)
	e.bool(enc.BucketKeyEnabled)
	e.str(enc.CustomerAlgorithm)
	e.str(enc.CustomerKeyMD5)
	e.bytes(sealed)
}

// decodeSSE reads what encodeSSE wrote, if the record goes on (records
// written before encryption end earlier), and returns the sealed key.
func decodeSSE(d *decoder, enc *objstore.Encryption) []byte {
	if d.err != nil || d.s == "" {
		return nil
	}
	enc.Algorithm, enc.KMSKeyID, enc.KMSContext = d.str(), d.str(), d.str()
	enc.BucketKeyEnabled = d.bool()
	enc.CustomerAlgorithm, enc.CustomerKeyMD5 = d.str(), d.str()
	if k := d.str(); k != "" {
		return []byte(k)
	}
	return nil
}

// unsealSource opens the data key of a copy's source, checking the SSE-C
// key the copy gives for it, and decrypts inline data.
func (s *Store) unsealSource(ctx context.Context, src *source, cs objstore.CopySource, err error) (*source, error) {
	if err != nil || src == nil {
		return src, err
	}
	dk, err := s.openDataKey(ctx, cs.Bucket, cs.Key, src.rec.SSE, src.rec.SealedKey, cs.SSECustomerKey)
	if err == nil && src.rec.Inline {
		src.inline, err = plainInline(src.rec, src.inline, dk)
	}
	if err != nil {
		s.releaseSource(src)
		return nil, fmt.Errorf("copy source: %w", err)
	}
	src.dataKey = dk
	return src, nil
}

// copyVersion makes the destination version of a copy: the source's data
// files shared under new names when it is to be encrypted the same way,
// else the data decrypted and encrypted again as want asks.
func (s *Store) copyVersion(ctx context.Context, src *source, meta objstore.ObjectMeta, want objstore.Encryption, bucket, key string) (*newVersion, error) {
	encrypted := len(src.rec.SealedKey) > 0
	if encrypted == sse.Encrypted(want) && (!encrypted || sameEncryption(src.rec.SSE, want)) {
		return s.cloneVersion(src, meta)
	}
	sl, err := s.newSealing(ctx, bucket, key, want)
	if err != nil {
		return nil, err
	}
	return s.reencrypt(ctx, src, meta, sl)
}

// reencrypt writes the source's data anew, encrypted as sl says (or in
// the clear when sl is nil), keeping its parts, ETag and checksum.
func (s *Store) reencrypt(ctx context.Context, src *source, meta objstore.ObjectMeta, sl *sealing) (*newVersion, error) {
	r := src.rec
	rec := &versionRecord{
		Size: r.Size, ETag: r.ETag, LastModified: now(), Meta: meta,
		Checksum: r.Checksum, PartsCount: r.PartsCount,
	}
	sl.apply(rec)
	nv := &newVersion{rec: rec}
	if r.Inline {
		st := &stored{inline: src.inline}
		if err := sealInline(st, sl.dataKey()); err != nil {
			return nil, err
		}
		rec.Inline, rec.DataID, nv.inline = true, newFileID(), st.inline
		return nv, nil
	}
	var off int64
	for _, seg := range r.Segments {
		body := s.sourceReader(src, off, seg.Size)
		st, err := s.writeBody(ctx, body, writeSpec{size: seg.Size, max: seg.Size, key: sl.dataKey()})
		body.Close()
		if err != nil {
			s.files.discard(nv.files...)
			return nil, err
		}
		nv.files = append(nv.files, st.id)
		rec.Segments = append(rec.Segments, segment{ID: st.id, Size: seg.Size})
		off += seg.Size
	}
	return nv, nil
}
