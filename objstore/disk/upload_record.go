package disk

import (
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// uploadRecord is the value of a U key: what the completed object of a
// multipart upload will carry.
type uploadRecord struct {
	Initiated int64
	Meta      objstore.ObjectMeta
	// ChecksumAlgorithm is the algorithm every part is checksummed with,
	// or empty.
	ChecksumAlgorithm objstore.ChecksumAlgorithm
	// SSE and SealedKey are the encryption of every part and of the
	// completed object, and its sealed data key.
	SSE       objstore.Encryption
	SealedKey []byte
	// Lock is the retention and legal hold the completed object gets;
	// records written before object lock end before it.
	Lock objstore.ObjectLock
}

func (r *uploadRecord) encode() []byte {
	e := encoder{b: make([]byte, 0, 64)}
	e.byte(recordFormat1)
	e.int(r.Initiated)
	encodeMeta(&e, &r.Meta)
	e.str(string(r.ChecksumAlgorithm))
	encodeSSE(&e, &r.SSE, r.SealedKey)
	encodeLock(&e, r.Lock)
	return e.b
}

func decodeUpload(b []byte) (*uploadRecord, error) {
	d := newDecoder(b)
	if f := d.byte(); f != recordFormat1 {
		return nil, fmt.Errorf("upload record format %d: %w", f, errShortRecord)
	}
	r := &uploadRecord{Initiated: d.int()}
	decodeMeta(&d, &r.Meta)
	r.ChecksumAlgorithm = objstore.ChecksumAlgorithm(d.str())
	r.SealedKey = decodeSSE(&d, &r.SSE)
	decodeLock(&d, &r.Lock)
	if d.err != nil {
		return nil, fmt.Errorf("upload record: %w", d.err)
	}
	return r, nil
}

// partRecord is the value of a P key.
type partRecord struct {
	ETag         string
	Size         int64
	ID           fileID
	LastModified int64
	Checksum     string // base64 value in the upload's algorithm, or empty
}

func (r *partRecord) encode() []byte {
	e := encoder{b: make([]byte, 0, 96)}
	e.byte(recordFormat1)
	e.str(r.ETag)
	e.int(r.Size)
	e.raw(r.ID[:])
	e.int(r.LastModified)
	e.str(r.Checksum)
	return e.b
}

func decodePart(b []byte) (*partRecord, error) {
	d := newDecoder(b)
	if f := d.byte(); f != recordFormat1 {
		return nil, fmt.Errorf("part record format %d: %w", f, errShortRecord)
	}
	r := &partRecord{ETag: d.str(), Size: d.int()}
	d.raw(r.ID[:])
	r.LastModified = d.int()
	r.Checksum = d.str()
	if d.err != nil {
		return nil, fmt.Errorf("part record: %w", d.err)
	}
	return r, nil
}

func (r *partRecord) info(n int, alg objstore.ChecksumAlgorithm) objstore.PartInfo {
	pi := objstore.PartInfo{
		PartNumber:   n,
		ETag:         r.ETag,
		Size:         r.Size,
		LastModified: time.Unix(0, r.LastModified).UTC(),
	}
	if r.Checksum != "" {
		pi.Checksum = &objstore.Checksum{Algorithm: alg, Value: r.Checksum, Type: objstore.ChecksumTypeFullObject}
	}
	return pi
}
