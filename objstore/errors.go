package objstore

import (
	"errors"
	"net/http"
	"time"
)

// Error is an S3 error condition: its S3 error code, the HTTP status S3
// answers it with, and S3's message. Every Err* value is an *Error; stores
// wrap them with context (fmt.Errorf("...: %w", ErrNoSuchKey)), so test
// with errors.Is and read the condition with AsError.
type Error struct {
	Code    string
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is makes errors.Is match any condition with the same S3 code, so that
// ErrInvalidMaxKeys is also an ErrInvalidArgument.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// The S3 error conditions. This table is the one place that pairs each
// condition with its S3 code and HTTP status.
var (
	ErrAccessDenied                   = newError("AccessDenied", http.StatusForbidden, "Access Denied")
	ErrBadDigest                      = newError("BadDigest", http.StatusBadRequest, "The Content-MD5 or checksum you specified did not match what we received.")
	ErrBucketAlreadyExists            = newError("BucketAlreadyExists", http.StatusConflict, "The requested bucket name is not available.")
	ErrBucketAlreadyOwnedByYou        = newError("BucketAlreadyOwnedByYou", http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it.")
	ErrBucketNotEmpty                 = newError("BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty.")
	ErrEntityTooLarge                 = newError("EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed object size.")
	ErrEntityTooSmall                 = newError("EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed object size.")
	ErrIllegalVersioningConfiguration = newError("IllegalVersioningConfigurationException", http.StatusBadRequest, "The versioning configuration specified in the request is invalid.")
	ErrIncompleteBody                 = newError("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	ErrInternal                       = newError("InternalError", http.StatusInternalServerError, "We encountered an internal error. Please try again.")
	ErrInvalidArgument                = newError("InvalidArgument", http.StatusBadRequest, "Invalid Argument")
	ErrInvalidBucketName              = newError("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid.")
	ErrInvalidDigest                  = newError("InvalidDigest", http.StatusBadRequest, "The Content-MD5 or checksum you specified is not valid.")
	ErrInvalidPart                    = newError("InvalidPart", http.StatusBadRequest, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.")
	ErrInvalidPartOrder               = newError("InvalidPartOrder", http.StatusBadRequest, "The list of parts was not in ascending order. The parts list must be specified in order by part number.")
	ErrInvalidRange                   = newError("InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable")
	ErrInvalidRequest                 = newError("InvalidRequest", http.StatusBadRequest, "Invalid Request")
	ErrInvalidStorageClass            = newError("InvalidStorageClass", http.StatusBadRequest, "The storage class you specified is not valid.")
	ErrInvalidTag                     = newError("InvalidTag", http.StatusBadRequest, "The tag provided was not a valid tag.")
	ErrKeyTooLong                     = newError("KeyTooLongError", http.StatusBadRequest, "Your key is too long.")
	ErrMalformedXML                   = newError("MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema.")
	ErrMetadataTooLarge               = newError("MetadataTooLarge", http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size.")
	ErrMethodNotAllowed               = newError("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource.")
	ErrNoSuchBucket                   = newError("NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist.")
	ErrNoSuchKey                      = newError("NoSuchKey", http.StatusNotFound, "The specified key does not exist.")
	ErrNoSuchUpload                   = newError("NoSuchUpload", http.StatusNotFound, "The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.")
	ErrNoSuchVersion                  = newError("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.")
	ErrNotImplemented                 = newError("NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented.")
	ErrNotModified                    = newError("NotModified", http.StatusNotModified, "Not Modified")
	ErrPreconditionFailed             = newError("PreconditionFailed", http.StatusPreconditionFailed, "At least one of the preconditions you specified did not hold.")
	ErrConditionalRequestConflict     = newError("ConditionalRequestConflict", http.StatusConflict, "A conflicting operation occurred. If using PutObject you can retry the request.")
	ErrServiceUnavailable             = newError("ServiceUnavailable", http.StatusServiceUnavailable, "Please reduce your request rate.")
	ErrStoreClosed                    = newError("ServiceUnavailable", http.StatusServiceUnavailable, "The store is closed.")
	ErrXAmzContentChecksumMismatch    = newError("XAmzContentChecksumMismatch", http.StatusBadRequest, "The provided 'x-amz-checksum' header does not match what was computed.")
	ErrInvalidObjectState             = newError("InvalidObjectState", http.StatusForbidden, "The operation is not valid for the object's storage class.")
	ErrNoSuchTagSet                   = newError("NoSuchTagSet", http.StatusNotFound, "The TagSet does not exist.")
	ErrInvalidBucketState             = newError("InvalidBucketState", http.StatusConflict, "The request is not valid with the current state of the bucket.")
	ErrTooManyParts                   = newError("InvalidArgument", http.StatusBadRequest, "Part number must be an integer between 1 and 10000, inclusive.")
	ErrInvalidMaxKeys                 = newError("InvalidArgument", http.StatusBadRequest, "max-keys must be a non-negative integer.")
	ErrInvalidContinuationToken       = newError("InvalidArgument", http.StatusBadRequest, "The continuation token provided is incorrect.")
	ErrCopyToItself                   = newError("InvalidRequest", http.StatusBadRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	ErrInvalidVersionID               = newError("InvalidArgument", http.StatusBadRequest, "Invalid version id specified")
	ErrInvalidPartNumber              = newError("InvalidPartNumber", http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable")
	ErrRangeAndPartNumber             = newError("InvalidRequest", http.StatusBadRequest, "Cannot specify both Range header and partNumber query parameter")
	ErrMissingContentLength           = newError("MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header.")
	ErrInvalidChecksumAlgorithm       = newError("InvalidRequest", http.StatusBadRequest, "Checksum algorithm provided is unsupported.")
	ErrInvalidCopySourceRange         = newError("InvalidArgument", http.StatusBadRequest, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
)

func newError(code string, status int, msg string) *Error {
	return &Error{Code: code, Status: status, Message: msg}
}

// AsError returns the S3 error condition err wraps, or ErrInternal when it
// wraps none.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return ErrInternal
}

// Refused tells whether err is the store's answer refusing a request
// (no such bucket, access denied...), which asking again will not
// change. A timeout (408), a throttle (429), a server failure (5xx) and
// an error that is not the store's answer (the network) may go away by
// themselves.
func Refused(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Status < 500 && e.Status != http.StatusRequestTimeout && e.Status != http.StatusTooManyRequests
}

// DeleteMarkerError reports that a read hit a delete marker: the current
// version of the key is one (Err is ErrNoSuchKey) or the version asked for
// is one (Err is ErrMethodNotAllowed). S3 answers it with
// x-amz-delete-marker: true and the marker's version ID.
type DeleteMarkerError struct {
	VersionID    string
	LastModified time.Time
	Err          error
}

func (e *DeleteMarkerError) Error() string {
	return "delete marker " + e.VersionID + ": " + e.Err.Error()
}

// Unwrap returns the S3 error condition.
func (e *DeleteMarkerError) Unwrap() error { return e.Err }
