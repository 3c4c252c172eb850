package disk

import (
	"fmt"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// segment is one data file of a version: the whole object, or one part of
// a multipart object.
type segment struct {
	ID   fileID
	Size int64
}

// Flag bits of a versionRecord.
const (
	flagNull = 1 << iota
	flagDeleteMarker
	flagInline
	flagChecksum
	flagLegalHold
	flagLegalHoldSet
)

// versionRecord is the value of a V key (and, for a live current version,
// of its L key). Object data is elsewhere: under a D key when Inline, else
// in the Segments' files.
type versionRecord struct {
	Seq          uint64
	Tag          versionTag
	Null         bool
	DeleteMarker bool
	Size         int64
	ETag         string
	LastModified int64 // unix nanoseconds
	Meta         objstore.ObjectMeta
	Checksum     *objstore.Checksum
	PartsCount   int
	// SSE is the encryption at rest (CustomerKey never set here);
	// SealedKey is the version's data key, sealed by the key service.
	SSE       objstore.Encryption
	SealedKey []byte
	// Replication is the replication status.
	Replication   string
	RetentionMode string
	RetainUntil   int64 // unix nanoseconds
	LegalHold     bool
	// LegalHoldSet tells that a legal hold was ever set (ON or OFF).
	LegalHoldSet bool
	// RestoreOngoing and RestoreExpiry (unix nanoseconds) are the restore
	// state of an archived version; RestoreAsked tells one was asked for.
	RestoreAsked   bool
	RestoreOngoing bool
	RestoreExpiry  int64
	// Inline tells that the data is in the KV under DataID.
	Inline   bool
	DataID   fileID
	Segments []segment
}

func (r *versionRecord) flags() byte {
	f := bitIf(r.Null, flagNull) | bitIf(r.DeleteMarker, flagDeleteMarker) | bitIf(r.Inline, flagInline)
	return f | bitIf(r.Checksum != nil, flagChecksum) | bitIf(r.LegalHold, flagLegalHold) | bitIf(r.LegalHoldSet, flagLegalHoldSet)
}

func bitIf(on bool, bit byte) byte {
	if on {
		return bit
	}
	return 0
}

func (r *versionRecord) encode() []byte {
	e := encoder{b: make([]byte, 0, 128+24*len(r.Segments))}
	e.byte(recordFormat1)
	e.byte(r.flags())
	e.uint(r.Seq)
	e.raw(r.Tag[:])
	e.int(r.Size)
	e.str(r.ETag)
	e.int(r.LastModified)
	encodeMeta(&e, &r.Meta)
	if r.Checksum != nil {
		e.str(string(r.Checksum.Algorithm))
		e.str(r.Checksum.Value)
		e.str(r.Checksum.Type)
	}
	e.uint(uint64(r.PartsCount))
	e.str(r.SSE.Algorithm)
	e.str(r.Replication)
	e.str(r.RetentionMode)
	e.int(r.RetainUntil)
	if r.Inline {
		e.raw(r.DataID[:])
	}
	e.uint(uint64(len(r.Segments)))
	for _, s := range r.Segments {
		e.raw(s.ID[:])
		e.int(s.Size)
	}
	r.encodeExtension(&e)
	return e.b
}

// encodeExtension appends the fields added after the first format.
// Records written before them end after the segments.
func (r *versionRecord) encodeExtension(e *encoder) {
	e.str(r.SSE.KMSKeyID)
	e.str(r.SSE.KMSContext)
	e.bool(r.SSE.BucketKeyEnabled)
	e.str(r.SSE.CustomerAlgorithm)
	e.str(r.SSE.CustomerKeyMD5)
	e.bytes(r.SealedKey)
	e.bool(r.RestoreAsked)
	e.bool(r.RestoreOngoing)
	e.int(r.RestoreExpiry)
}

func (r *versionRecord) decodeExtension(d *decoder) {
	if d.err != nil || d.s == "" {
		return
	}
	r.SSE.KMSKeyID, r.SSE.KMSContext = d.str(), d.str()
	r.SSE.BucketKeyEnabled = d.bool()
	r.SSE.CustomerAlgorithm, r.SSE.CustomerKeyMD5 = d.str(), d.str()
	if k := d.str(); k != "" {
		r.SealedKey = []byte(k)
	}
	r.RestoreAsked, r.RestoreOngoing = d.bool(), d.bool()
	r.RestoreExpiry = d.int()
}

func decodeVersion(b []byte) (*versionRecord, error) {
	r := new(versionRecord)
	if err := r.decode(b); err != nil {
		return nil, err
	}
	return r, nil
}

// decode sets r to the record encoded in b.
func (r *versionRecord) decode(b []byte) error {
	d := newDecoder(b)
	if f := d.byte(); f != recordFormat1 {
		return fmt.Errorf("version record format %d: %w", f, errShortRecord)
	}
	flags := d.byte()
	*r = versionRecord{
		Null: flags&flagNull != 0, DeleteMarker: flags&flagDeleteMarker != 0,
		Inline: flags&flagInline != 0, LegalHold: flags&flagLegalHold != 0,
		LegalHoldSet: flags&flagLegalHoldSet != 0,
	}
	r.Seq = d.uint()
	d.raw(r.Tag[:])
	r.Size = d.int()
	r.ETag = d.str()
	r.LastModified = d.int()
	decodeMeta(&d, &r.Meta)
	if flags&flagChecksum != 0 {
		r.Checksum = &objstore.Checksum{Algorithm: objstore.ChecksumAlgorithm(d.str()), Value: d.str(), Type: d.str()}
	}
	r.PartsCount = int(d.uint())
	r.SSE.Algorithm, r.Replication, r.RetentionMode = d.str(), d.str(), d.str()
	r.RetainUntil = d.int()
	if r.Inline {
		d.raw(r.DataID[:])
	}
	r.Segments = decodeSegments(&d)
	r.decodeExtension(&d)
	if d.err != nil {
		return fmt.Errorf("version record: %w", d.err)
	}
	return nil
}

func decodeSegments(d *decoder) []segment {
	n := d.uint()
	if n == 0 || n > uint64(len(d.s)) {
		return nil
	}
	segs := make([]segment, n)
	for i := range segs {
		d.raw(segs[i].ID[:])
		segs[i].Size = d.int()
	}
	return segs
}

func encodeMeta(e *encoder, m *objstore.ObjectMeta) {
	e.str(m.ContentType)
	e.str(m.ContentEncoding)
	e.str(m.ContentDisposition)
	e.str(m.ContentLanguage)
	e.str(m.CacheControl)
	e.str(m.Expires)
	e.strMap(m.UserMetadata)
	e.strMap(m.Tags)
	e.str(string(m.StorageClass))
}

func decodeMeta(d *decoder, m *objstore.ObjectMeta) {
	m.ContentType = d.str()
	m.ContentEncoding = d.str()
	m.ContentDisposition = d.str()
	m.ContentLanguage = d.str()
	m.CacheControl = d.str()
	m.Expires = d.str()
	m.UserMetadata = d.strMap()
	m.Tags = d.strMap()
	m.StorageClass = objstore.StorageClass(d.str())
}

// versionID is the ID S3 clients see for the version.
func (r *versionRecord) versionID() string {
	if r.Null {
		return objstore.NullVersionID
	}
	return formatVersionID(r.Seq, r.Tag)
}

// info describes the version. Maps are shared with the record, which
// callers own: each read decodes records afresh.
func (r *versionRecord) info(bucket, key string) objstore.ObjectInfo {
	var oi objstore.ObjectInfo
	r.fill(&oi, bucket, key)
	return oi
}

// fill sets the fields of oi that describe the version, in place.
func (r *versionRecord) fill(oi *objstore.ObjectInfo, bucket, key string) {
	oi.Bucket, oi.Key, oi.VersionID = bucket, key, r.versionID()
	oi.DeleteMarker, oi.Size, oi.ETag = r.DeleteMarker, r.Size, r.ETag
	oi.LastModified = time.Unix(0, r.LastModified).UTC()
	oi.ObjectMeta = r.Meta
	oi.PartsCount = r.PartsCount
	oi.Encryption, oi.ReplicationStatus = r.SSE, r.Replication
	oi.Checksum = r.Checksum
	oi.Lock = objstore.ObjectLock{Mode: r.RetentionMode, LegalHold: r.LegalHold, LegalHoldSet: r.LegalHoldSet}
	if r.RetainUntil != 0 {
		oi.Lock.RetainUntil = time.Unix(0, r.RetainUntil).UTC()
	}
	oi.Restore = nil
	if r.RestoreAsked {
		oi.Restore = &objstore.RestoreStatus{Ongoing: r.RestoreOngoing}
		if r.RestoreExpiry != 0 {
			oi.Restore.Expiry = time.Unix(0, r.RestoreExpiry).UTC()
		}
	}
}

// fileIDs lists the data files the version owns.
func (r *versionRecord) fileIDs() []fileID {
	ids := make([]fileID, len(r.Segments))
	for i, s := range r.Segments {
		ids[i] = s.ID
	}
	return ids
}
