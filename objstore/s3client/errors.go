package s3client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cairnfs/cairn/objstore"
)

// conditions lists every objstore condition an S3 error code can name. When
// several share a code (InvalidArgument, InvalidRequest, ServiceUnavailable)
// the general one comes first and wins: errors.Is matches by code, so it
// also matches the refinements.
var conditions = []*objstore.Error{
	objstore.ErrAccessDenied, objstore.ErrBadDigest, objstore.ErrBucketAlreadyExists,
	objstore.ErrBucketAlreadyOwnedByYou, objstore.ErrBucketNotEmpty, objstore.ErrEntityTooLarge,
	objstore.ErrEntityTooSmall, objstore.ErrIllegalVersioningConfiguration, objstore.ErrIncompleteBody,
	objstore.ErrInternal, objstore.ErrInvalidArgument, objstore.ErrInvalidBucketName,
	objstore.ErrInvalidDigest, objstore.ErrInvalidPart, objstore.ErrInvalidPartOrder,
	objstore.ErrInvalidRange, objstore.ErrInvalidRequest, objstore.ErrInvalidStorageClass,
	objstore.ErrInvalidTag, objstore.ErrKeyTooLong, objstore.ErrMalformedXML,
	objstore.ErrMetadataTooLarge, objstore.ErrMethodNotAllowed, objstore.ErrNoSuchBucket,
	objstore.ErrNoSuchKey, objstore.ErrNoSuchUpload, objstore.ErrNoSuchVersion,
	objstore.ErrNotImplemented, objstore.ErrNotModified, objstore.ErrPreconditionFailed,
	objstore.ErrConditionalRequestConflict, objstore.ErrServiceUnavailable,
	objstore.ErrXAmzContentChecksumMismatch, objstore.ErrInvalidObjectState, objstore.ErrNoSuchTagSet,
	objstore.ErrInvalidBucketState, objstore.ErrInvalidPartNumber, objstore.ErrMissingContentLength,
	// Refinements of the codes above: never chosen by code, listed so
	// that the table test sees every condition of the contract.
	objstore.ErrStoreClosed, objstore.ErrTooManyParts, objstore.ErrInvalidMaxKeys,
	objstore.ErrInvalidContinuationToken, objstore.ErrCopyToItself, objstore.ErrInvalidVersionID,
	objstore.ErrRangeAndPartNumber, objstore.ErrInvalidChecksumAlgorithm, objstore.ErrInvalidCopySourceRange,
}

// byCode is the one table from S3 error codes to objstore conditions,
// built from their Code fields. It is never modified after init.
var byCode = func() map[string]*objstore.Error {
	m := make(map[string]*objstore.Error, len(conditions))
	for _, c := range conditions {
		if _, dup := m[c.Code]; !dup {
			m[c.Code] = c
		}
	}
	return m
}()

// byStatus gives the condition of an error response that names no code
// the table knows: HEAD responses and 304s carry no body, and the SDK
// then reports the status text ("NotFound", "Forbidden"); other services
// send codes of their own ("SignatureDoesNotMatch", "SlowDown"). A 404 and
// a 416 depend on the call, see op.
var byStatus = map[int]*objstore.Error{
	http.StatusNotModified:                  objstore.ErrNotModified,
	http.StatusBadRequest:                   objstore.ErrInvalidRequest,
	http.StatusForbidden:                    objstore.ErrAccessDenied,
	http.StatusNotFound:                     objstore.ErrNoSuchKey,
	http.StatusMethodNotAllowed:             objstore.ErrMethodNotAllowed,
	http.StatusLengthRequired:               objstore.ErrMissingContentLength,
	http.StatusPreconditionFailed:           objstore.ErrPreconditionFailed,
	http.StatusRequestedRangeNotSatisfiable: objstore.ErrInvalidRange,
	http.StatusNotImplemented:               objstore.ErrNotImplemented,
	http.StatusServiceUnavailable:           objstore.ErrServiceUnavailable,
}

// op names one S3 call for its errors: the operation, what it acted on,
// and what a code-less 404 or 416 means for it.
type op struct {
	name     string
	bucket   string
	key      string
	notFound *objstore.Error // default ErrNoSuchKey
	badRange *objstore.Error // default ErrInvalidRange
}

func (o op) target() string {
	if o.key == "" {
		return o.bucket
	}
	return o.bucket + "/" + o.key
}

// wrap maps an SDK error to the objstore condition it reports, with the
// operation, its target and the server's words as context. Errors that
// carry no S3 response (network, cancelled context) are wrapped as they are.
func (o op) wrap(err error) error {
	if err == nil {
		return nil
	}
	prefix := "s3 " + o.name
	if t := o.target(); t != "" {
		prefix += " " + t
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	status, header := responseOf(err)
	cond := o.condition(apiErr.ErrorCode(), status)
	if dm := deleteMarker(status, header); dm != nil {
		return fmt.Errorf("%s: %w", prefix, dm)
	}
	if detail := detailOf(apiErr, cond, status, header); detail != "" {
		return fmt.Errorf("%s: %s: %w", prefix, detail, cond)
	}
	return fmt.Errorf("%s: %w", prefix, cond)
}

// condition picks the objstore condition of an S3 error code and status.
func (o op) condition(code string, status int) *objstore.Error {
	if c, ok := byCode[code]; ok {
		return c
	}
	switch {
	case status == http.StatusNotFound && o.notFound != nil:
		return o.notFound
	case status == http.StatusRequestedRangeNotSatisfiable && o.badRange != nil:
		return o.badRange
	}
	if c, ok := byStatus[status]; ok {
		return c
	}
	if status >= 400 && status < 500 {
		return objstore.ErrInvalidRequest
	}
	return objstore.ErrInternal
}

// responseOf returns the HTTP status and headers of the response an SDK
// error came from, or 0 and nil when there was none.
func responseOf(err error) (int, http.Header) {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.Response.Response != nil {
		return re.Response.StatusCode, re.Response.Header
	}
	return 0, nil
}

// deleteMarker returns the *objstore.DeleteMarkerError of a read that hit a
// delete marker (x-amz-delete-marker: true on a 404 or 405), else nil.
func deleteMarker(status int, h http.Header) error {
	if !strings.EqualFold(h.Get("x-amz-delete-marker"), "true") {
		return nil
	}
	var base *objstore.Error
	switch status {
	case http.StatusNotFound:
		base = objstore.ErrNoSuchKey
	case http.StatusMethodNotAllowed:
		base = objstore.ErrMethodNotAllowed
	default:
		return nil
	}
	dm := &objstore.DeleteMarkerError{VersionID: h.Get("x-amz-version-id"), Err: base}
	dm.LastModified = parseHTTPTime(h.Get("Last-Modified"))
	return dm
}

// detailOf returns what the server said beyond the condition itself: its
// own code and message when they differ from the condition's, and the
// request ID, for the error text.
func detailOf(apiErr smithy.APIError, cond *objstore.Error, status int, h http.Header) string {
	var parts []string
	code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	if code != cond.Code {
		parts = append(parts, code)
	}
	if msg != "" && msg != cond.Message && msg != code && msg != http.StatusText(status) {
		parts = append(parts, msg)
	}
	if id := h.Get("x-amz-request-id"); id != "" {
		parts = append(parts, "request "+id)
	}
	return strings.Join(parts, ", ")
}

// closedErr is what every call on a closed store returns.
func closedErr(name string) error {
	return fmt.Errorf("s3 %s: %w", name, objstore.ErrStoreClosed)
}
