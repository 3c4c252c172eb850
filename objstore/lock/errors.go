package lock

import (
	"net/http"

	"github.com/cairnfs/cairn/objstore"
)

// The S3 error conditions of object lock. Each is an *objstore.Error, so
// the S3 server answers it with its code and status.
var (
	// ErrLocked refuses the removal of a version under retention or legal
	// hold, and a change that would weaken its retention.
	ErrLocked = &objstore.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: "Access Denied because object protected by object lock."}
	// ErrNotEnabled refuses retention and legal holds on a bucket without
	// object lock.
	ErrNotEnabled = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Bucket is missing Object Lock Configuration"}
	// ErrNoConfiguration answers GetObjectLockConfiguration on a bucket
	// without object lock.
	ErrNoConfiguration = &objstore.Error{Code: "ObjectLockConfigurationNotFoundError", Status: http.StatusNotFound, Message: "Object Lock configuration does not exist for this bucket"}
	// ErrNoObjectConfiguration answers GetObjectRetention on a version
	// without retention.
	ErrNoObjectConfiguration = &objstore.Error{Code: "NoSuchObjectLockConfiguration", Status: http.StatusNotFound, Message: "The specified object does not have a ObjectLock configuration"}
	// ErrVersioningLocked refuses suspending versioning on a bucket with
	// object lock.
	ErrVersioningLocked = &objstore.Error{Code: "InvalidBucketState", Status: http.StatusConflict, Message: "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed."}
	// ErrNeedsVersioning refuses object lock on a bucket whose versioning
	// is not Enabled.
	ErrNeedsVersioning = &objstore.Error{Code: "InvalidBucketState", Status: http.StatusConflict, Message: "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration"}
	// ErrRetentionPeriod refuses a default retention that is not positive.
	ErrRetentionPeriod = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "Default retention period must be a positive integer value."}
	// ErrRetentionTooLong refuses a default retention over 100 years.
	ErrRetentionTooLong = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "Default retention period is too large."}
	// ErrPastDate refuses a retain-until date that is not in the future.
	ErrPastDate = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "The retain until date must be in the future!"}
)
