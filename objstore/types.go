package objstore

import (
	"io"
	"time"
)

// NullVersionID is the version ID of an object written while its bucket was
// unversioned or suspended.
const NullVersionID = "null"

// Size limits of S3 that every Store enforces.
const (
	MaxKeyLength        = 1024                     // bytes of a key
	MaxUserMetadataSize = 2 << 10                  // bytes of user metadata, names and values
	MaxPutSize          = 5 << 30                  // bytes of a single PUT
	MaxObjectSize       = 5 << 40                  // bytes of a multipart object
	MinPartSize         = 5 << 20                  // bytes of every part but the last
	MaxPartSize         = 5 << 30                  // bytes of one part
	MaxPartNumber       = 10000                    // highest part number
	MaxListKeys         = 1000                     // entries of one list page
	MaxTags             = 10                       // tags on one object
	MaxTagKeyLength     = 128                      // characters of a tag key
	MaxTagValueLength   = 256                      // characters of a tag value
	DefaultStorageClass = StorageClass("STANDARD") // class of objects stored without one
)

// VersioningState is a bucket's versioning status.
type VersioningState string

// The three versioning states of S3. A bucket starts Unversioned.
const (
	VersioningUnversioned VersioningState = ""
	VersioningEnabled     VersioningState = "Enabled"
	VersioningSuspended   VersioningState = "Suspended"
)

// StorageClass names an S3 storage class.
type StorageClass string

// StorageClasses lists every storage class a Store accepts.
var StorageClasses = []StorageClass{
	"STANDARD", "INTELLIGENT_TIERING", "STANDARD_IA", "ONEZONE_IA",
	"GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "EXPRESS_ONEZONE", "REDUCED_REDUNDANCY",
}

// BucketInfo describes a bucket.
type BucketInfo struct {
	Name       string
	Created    time.Time
	Region     string
	Versioning VersioningState
}

// CreateBucketOptions are the options of CreateBucket.
type CreateBucketOptions struct {
	// Region is the LocationConstraint; empty means the store's default.
	Region string
	// ObjectLockEnabled creates the bucket with object lock (and
	// versioning) enabled for good.
	ObjectLockEnabled bool
}

// Encryption tells how a version's data is encrypted at rest: SSE-S3,
// SSE-KMS, DSSE-KMS or SSE-C. The zero value means not encrypted.
type Encryption struct {
	// Algorithm is "AES256" (SSE-S3), "aws:kms" or "aws:kms:dsse"; empty
	// when the object is unencrypted or encrypted only with SSE-C.
	Algorithm string
	// KMSKeyID is the ARN/ID of the KMS key of aws:kms and aws:kms:dsse.
	KMSKeyID string
	// KMSContext is the base64 JSON encryption context of SSE-KMS.
	KMSContext string
	// BucketKeyEnabled reports an S3 Bucket Key (accepted and echoed).
	BucketKeyEnabled bool
	// CustomerAlgorithm ("AES256") and CustomerKeyMD5 (base64) describe
	// the SSE-C key the object was written with.
	CustomerAlgorithm string
	CustomerKeyMD5    string
	// CustomerKey is the 32-byte SSE-C key on a request. It is never
	// stored and never returned.
	CustomerKey []byte
}

// Object-lock retention modes.
const (
	LockGovernance = "GOVERNANCE"
	LockCompliance = "COMPLIANCE"
)

// ObjectLock is a version's object-lock state.
type ObjectLock struct {
	// Mode is LockGovernance or LockCompliance; empty for no retention.
	Mode        string
	RetainUntil time.Time
	LegalHold   bool
	// LegalHoldSet tells that a legal hold was ever placed on the
	// version or lifted from it: S3 reports a legal hold, ON or OFF,
	// only then.
	LegalHoldSet bool
}

// RestoreStatus is the state of a temporary restore of an archived
// (GLACIER, DEEP_ARCHIVE) version.
type RestoreStatus struct {
	// Ongoing tells that the restore has not completed yet.
	Ongoing bool
	// Expiry is when the restored copy goes away again.
	Expiry time.Time
}

// Tags is an object's tag set.
type Tags map[string]string

// Checksum is an S3 additional checksum: its algorithm and the base64
// value. Type is FULL_OBJECT or COMPOSITE (multipart objects).
type Checksum struct {
	Algorithm ChecksumAlgorithm
	Value     string
	Type      string
}

// ObjectMeta is what a writer sets on an object and a reader gets back.
type ObjectMeta struct {
	ContentType        string
	ContentEncoding    string
	ContentDisposition string
	ContentLanguage    string
	CacheControl       string
	Expires            string
	// UserMetadata holds x-amz-meta-* values by lower-case name without
	// the prefix.
	UserMetadata map[string]string
	Tags         Tags
	StorageClass StorageClass
}

// ObjectInfo describes one version of an object, or a delete marker.
type ObjectInfo struct {
	Bucket string
	Key    string
	// VersionID is the version's ID; NullVersionID for versions written
	// while the bucket was unversioned or suspended.
	VersionID    string
	IsLatest     bool
	DeleteMarker bool
	Size         int64
	// ETag is the entity tag without quotes: the hex MD5 of the data, or
	// md5-of-part-md5s "-N" for a multipart object.
	ETag         string
	LastModified time.Time
	ObjectMeta
	// Checksum is the stored additional checksum, if one was requested.
	Checksum *Checksum
	// PartsCount is the number of parts of a multipart object, else 0.
	PartsCount int
	// Encryption tells how the version is encrypted at rest.
	Encryption Encryption
	// ReplicationStatus is PENDING, COMPLETED, FAILED or REPLICA; empty
	// when the version is not subject to replication.
	ReplicationStatus string
	// Lock is the version's retention and legal hold.
	Lock ObjectLock
	// Restore is the restore state of an archived version; nil when no
	// restore was asked for.
	Restore *RestoreStatus
}

// Conditions are the HTTP preconditions of S3 reads (and source reads of
// copies). Empty fields are not checked.
type Conditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   time.Time
	IfUnmodifiedSince time.Time
}

// PutOptions are the options of PutObject and CreateMultipartUpload.
type PutOptions struct {
	ObjectMeta
	// Size is the body's length, or -1 when unknown.
	Size int64
	// ContentMD5 is the base64 MD5 the body must have, if set.
	ContentMD5 string
	// Checksum asks for an additional checksum: with a Value, the body
	// must match it; with only an Algorithm, the store computes it.
	Checksum *Checksum
	// IfMatch makes the write happen only while the current version has
	// this ETag; IfNoneMatch "*" only while there is no current version.
	IfMatch     string
	IfNoneMatch string
	// Encryption asks for encryption at rest (and carries an SSE-C key).
	Encryption Encryption
	// Lock sets the new version's retention and legal hold.
	Lock ObjectLock
	// ReplicationStatus is recorded on the new version (PENDING for a
	// source, REPLICA for a replica).
	ReplicationStatus string
}

// GetOptions are the options of GetObject and HeadObject.
type GetOptions struct {
	VersionID string
	// Range selects a byte range; nil means the whole object.
	Range *Range
	// PartNumber selects one part of a multipart object (1-based); 0 means
	// none. A simple object has exactly part 1.
	PartNumber int
	Conditions
	// SSECustomerKey is the SSE-C key of a version written with one.
	SSECustomerKey []byte
}

// Object is an open version of an object. The caller closes Body.
type Object struct {
	Info ObjectInfo
	Body io.ReadCloser
	// Offset and Length are the bytes of the version that Body holds.
	Offset, Length int64
	// Ranged tells whether a range or part was asked for (206 in HTTP).
	Ranged bool
}

// DeleteOptions are the options of DeleteObject.
type DeleteOptions struct {
	VersionID string
	// BypassGovernance lets a delete of a version under GOVERNANCE
	// retention through (x-amz-bypass-governance-retention).
	BypassGovernance bool
}

// DeleteResult tells what a DeleteObject did.
type DeleteResult struct {
	// VersionID is the version removed, or the delete marker created.
	VersionID string
	// DeleteMarker tells that a delete marker was created or removed.
	DeleteMarker bool
}

// MetadataDirective tells CopyObject where the destination's metadata
// comes from.
type MetadataDirective string

// The metadata directives of CopyObject.
const (
	MetadataCopy    MetadataDirective = "COPY"
	MetadataReplace MetadataDirective = "REPLACE"
)

// CopySource names the version an object copy reads.
type CopySource struct {
	Bucket, Key, VersionID string
	// Conditions are checked on the source (x-amz-copy-source-if-*).
	Conditions
	// SSECustomerKey is the SSE-C key of a source written with one.
	SSECustomerKey []byte
}

// CopyOptions are the options of CopyObject.
type CopyOptions struct {
	Source CopySource
	// MetadataDirective COPY (default) keeps the source's metadata;
	// REPLACE takes Meta instead.
	MetadataDirective MetadataDirective
	// TaggingDirective COPY (default) keeps the source's tags; REPLACE
	// takes Meta.Tags.
	TaggingDirective MetadataDirective
	// Meta is the destination's metadata under REPLACE. Its StorageClass,
	// when set, applies under either directive.
	Meta ObjectMeta
	// IfMatch / IfNoneMatch are conditions on the destination, as in PutOptions.
	IfMatch     string
	IfNoneMatch string
	// Encryption is the destination's encryption at rest.
	Encryption Encryption
	// Lock sets the destination version's retention and legal hold.
	Lock ObjectLock
	// ReplicationStatus is recorded on the destination version.
	ReplicationStatus string
}

// ListOptions are the options of ListObjects (ListObjectsV2).
type ListOptions struct {
	Prefix            string
	Delimiter         string
	StartAfter        string
	ContinuationToken string
	// MaxKeys is the page size: 0 means 1000, larger values are capped at 1000.
	MaxKeys int
	// WithMetadata asks for each object's user metadata and content type
	// in the listing, which plain S3 does not carry; a store that cannot
	// leaves ListResult.WithMetadata false.
	WithMetadata bool
}

// ListResult is one page of ListObjects.
type ListResult struct {
	Objects               []ObjectInfo
	CommonPrefixes        []string
	IsTruncated           bool
	NextContinuationToken string
	// WithMetadata reports that Objects carry their UserMetadata and
	// ContentType (ListOptions.WithMetadata): an empty map then means
	// the object has none.
	WithMetadata bool
}

// ListVersionsOptions are the options of ListObjectVersions.
type ListVersionsOptions struct {
	Prefix          string
	Delimiter       string
	KeyMarker       string
	VersionIDMarker string
	MaxKeys         int
}

// ListVersionsResult is one page of ListObjectVersions. Versions holds
// versions and delete markers (DeleteMarker set) in S3's order.
type ListVersionsResult struct {
	Versions            []ObjectInfo
	CommonPrefixes      []string
	IsTruncated         bool
	NextKeyMarker       string
	NextVersionIDMarker string
}

// PartOptions are the options of UploadPart.
type PartOptions struct {
	Size       int64
	ContentMD5 string
	Checksum   *Checksum
	// SSECustomerKey is the SSE-C key the upload was created with.
	SSECustomerKey []byte
}

// PartCopyOptions are the options of UploadPartCopy.
type PartCopyOptions struct {
	Source CopySource
	// Range selects the bytes of the source; nil copies all of it.
	Range *Range
	// SSECustomerKey is the SSE-C key the upload was created with.
	SSECustomerKey []byte
}

// PartInfo describes an uploaded part.
type PartInfo struct {
	PartNumber   int
	ETag         string
	Size         int64
	LastModified time.Time
	Checksum     *Checksum
}

// CompletedPart names a part in CompleteMultipartUpload.
type CompletedPart struct {
	PartNumber int
	ETag       string
	// Checksum, when set, must match the part's stored checksum.
	Checksum string
}

// CompleteOptions are the options of CompleteMultipartUpload.
type CompleteOptions struct {
	IfMatch     string
	IfNoneMatch string
}

// ListPartsOptions are the options of ListParts.
type ListPartsOptions struct {
	PartNumberMarker int
	MaxParts         int
}

// ListPartsResult is one page of ListParts.
type ListPartsResult struct {
	Parts                []PartInfo
	IsTruncated          bool
	NextPartNumberMarker int
	StorageClass         StorageClass
	ChecksumAlgorithm    ChecksumAlgorithm
}

// ListUploadsOptions are the options of ListMultipartUploads.
type ListUploadsOptions struct {
	Prefix         string
	Delimiter      string
	KeyMarker      string
	UploadIDMarker string
	MaxUploads     int
}

// UploadInfo describes an in-progress multipart upload.
type UploadInfo struct {
	Key          string
	UploadID     string
	Initiated    time.Time
	StorageClass StorageClass
}

// ListUploadsResult is one page of ListMultipartUploads.
type ListUploadsResult struct {
	Uploads            []UploadInfo
	CommonPrefixes     []string
	IsTruncated        bool
	NextKeyMarker      string
	NextUploadIDMarker string
}
