// Package objstore is cairn's one shared contract: the Store interface that
// every object-storage backend implements (the embedded disk engine, the S3
// client) and that every consumer uses (the S3 API server, the FUSE mount,
// the folder sync).
//
// The semantics are S3's, not a filesystem's: buckets hold keys (UTF-8, up to
// 1024 bytes), objects are immutable versions, an overwrite creates a new
// version, listings are in byte order and paginated by opaque tokens.
// Failures are typed errors (see errors.go) so that callers map them to S3
// error codes or errno values from one table each.
package objstore

import (
	"context"
	"io"
)

// Store is an S3-semantics object store.
//
// Every method that does I/O takes a context first. Implementations are safe
// for concurrent use. Errors wrap one of the Err* values of this package
// whenever the failure is an S3 error condition, so errors.Is works on them.
type Store interface {
	BucketStore
	ObjectStore
	MultipartStore
	// Close releases the store's resources. Calls after Close fail.
	Close() error
}

// BucketStore manages buckets and their versioning state.
type BucketStore interface {
	// CreateBucket creates a bucket. It fails with ErrBucketAlreadyOwnedByYou
	// when the bucket exists and ErrInvalidBucketName for a name S3 refuses.
	CreateBucket(ctx context.Context, bucket string, opts CreateBucketOptions) error
	// DeleteBucket deletes an empty bucket (no versions and no delete
	// markers); it fails with ErrBucketNotEmpty otherwise. In-progress
	// multipart uploads are aborted with it.
	DeleteBucket(ctx context.Context, bucket string) error
	// HeadBucket reports a bucket, or ErrNoSuchBucket.
	HeadBucket(ctx context.Context, bucket string) (BucketInfo, error)
	// ListBuckets lists every bucket in name order.
	ListBuckets(ctx context.Context) ([]BucketInfo, error)
	// GetBucketVersioning reports the bucket's versioning state.
	GetBucketVersioning(ctx context.Context, bucket string) (VersioningState, error)
	// PutBucketVersioning sets Enabled or Suspended. A bucket never goes
	// back to Unversioned: asking for it fails with ErrIllegalVersioningConfiguration.
	PutBucketVersioning(ctx context.Context, bucket string, state VersioningState) error
}

// ObjectStore reads and writes objects and their versions.
type ObjectStore interface {
	// PutObject stores body as the new current version of key. When
	// opts.Size is not -1 the body must hold exactly that many bytes
	// (ErrIncompleteBody otherwise). Content-MD5 and checksums given in opts
	// are verified (ErrBadDigest); IfMatch / IfNoneMatch are checked
	// atomically with the write (ErrPreconditionFailed).
	PutObject(ctx context.Context, bucket, key string, body io.Reader, opts PutOptions) (ObjectInfo, error)
	// GetObject opens a version of key (the current one unless
	// opts.VersionID is set), optionally a byte range or one part of it.
	// The caller must close the returned Object's Body.
	GetObject(ctx context.Context, bucket, key string, opts GetOptions) (*Object, error)
	// HeadObject reports what GetObject would, without the body.
	HeadObject(ctx context.Context, bucket, key string, opts GetOptions) (ObjectInfo, error)
	// DeleteObject deletes key. Without a version ID on a versioned bucket
	// it adds a delete marker; with one it removes that version for good.
	DeleteObject(ctx context.Context, bucket, key string, opts DeleteOptions) (DeleteResult, error)
	// CopyObject copies a version of src to dstBucket/dstKey server side.
	CopyObject(ctx context.Context, dstBucket, dstKey string, opts CopyOptions) (ObjectInfo, error)
	// ListObjects lists current versions (ListObjectsV2 semantics).
	ListObjects(ctx context.Context, bucket string, opts ListOptions) (ListResult, error)
	// ListObjectVersions lists every version and delete marker, keys in
	// byte order and each key's versions newest first.
	ListObjectVersions(ctx context.Context, bucket string, opts ListVersionsOptions) (ListVersionsResult, error)
	// GetObjectTagging returns the tag set of a version.
	GetObjectTagging(ctx context.Context, bucket, key, versionID string) (Tags, string, error)
	// PutObjectTagging replaces the tag set of a version and returns the
	// version ID it applied to.
	PutObjectTagging(ctx context.Context, bucket, key, versionID string, tags Tags) (string, error)
	// DeleteObjectTagging removes every tag of a version.
	DeleteObjectTagging(ctx context.Context, bucket, key, versionID string) (string, error)
}

// MultipartStore implements S3 multipart uploads: parts numbered
// 1..10,000, each at least 5 MiB except the last, at most 5 GiB each and
// 5 TiB in all.
type MultipartStore interface {
	// CreateMultipartUpload starts an upload and returns its ID. The
	// options are those the completed object will carry.
	CreateMultipartUpload(ctx context.Context, bucket, key string, opts PutOptions) (string, error)
	// UploadPart stores one part; uploading a part number again replaces it.
	UploadPart(ctx context.Context, bucket, key, uploadID string, partNumber int, body io.Reader, opts PartOptions) (PartInfo, error)
	// UploadPartCopy stores one part copied server side from a (range of
	// a) version of another object.
	UploadPartCopy(ctx context.Context, bucket, key, uploadID string, partNumber int, opts PartCopyOptions) (PartInfo, error)
	// CompleteMultipartUpload assembles the listed parts, in ascending
	// order, into the new current version of key.
	CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []CompletedPart, opts CompleteOptions) (ObjectInfo, error)
	// AbortMultipartUpload discards an upload and its parts.
	AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error
	// ListParts lists the parts uploaded so far, by part number.
	ListParts(ctx context.Context, bucket, key, uploadID string, opts ListPartsOptions) (ListPartsResult, error)
	// ListMultipartUploads lists in-progress uploads by key, then by
	// initiation time.
	ListMultipartUploads(ctx context.Context, bucket string, opts ListUploadsOptions) (ListUploadsResult, error)
}
