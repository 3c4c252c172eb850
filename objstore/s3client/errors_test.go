package s3client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cairnfs/cairn/objstore"
)

// sdkError builds the error chain the SDK returns for an S3 error
// response: an OperationError around the HTTP ResponseError around the
// API error with the code (empty code: a HEAD without body, which the SDK
// names after the status text).
func sdkError(status int, code string, h http.Header) error {
	msg := ""
	if code == "" {
		code = strings.ReplaceAll(http.StatusText(status), " ", "")
		msg = http.StatusText(status)
	}
	if h == nil {
		h = http.Header{}
	}
	return &smithy.OperationError{
		ServiceID:     "S3",
		OperationName: "HeadObject",
		Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: h}},
				Err:      &smithy.GenericAPIError{Code: code, Message: msg},
			},
			RequestID: "REQ1",
		},
	}
}

// TestEveryCodeMapsToItsCondition sends each S3 error code of the contract
// through the table: the mapped error matches the condition with
// errors.Is, whatever status it came with.
func TestEveryCodeMapsToItsCondition(t *testing.T) {
	o := op{name: "GetObject", bucket: "b", key: "k"}
	for _, c := range conditions {
		err := o.wrap(sdkError(c.Status, c.Code, nil))
		if !errors.Is(err, c) {
			t.Errorf("code %s: mapped to %v", c.Code, err)
		}
		if got := objstore.AsError(err); got.Code != c.Code || got.Status != c.Status {
			t.Errorf("code %s: AsError gives %s/%d, want %s/%d", c.Code, got.Code, got.Status, c.Code, c.Status)
		}
	}
}

// TestTableHasEveryCondition checks that the table names each condition of
// objstore by its code, so that no S3 error the server sends is lost.
func TestTableHasEveryCondition(t *testing.T) {
	all := []*objstore.Error{
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
		objstore.ErrConditionalRequestConflict, objstore.ErrServiceUnavailable, objstore.ErrStoreClosed,
		objstore.ErrXAmzContentChecksumMismatch, objstore.ErrInvalidObjectState, objstore.ErrNoSuchTagSet,
		objstore.ErrInvalidBucketState, objstore.ErrTooManyParts, objstore.ErrInvalidMaxKeys,
		objstore.ErrInvalidContinuationToken, objstore.ErrCopyToItself, objstore.ErrInvalidVersionID,
		objstore.ErrInvalidPartNumber, objstore.ErrRangeAndPartNumber, objstore.ErrMissingContentLength,
		objstore.ErrInvalidChecksumAlgorithm, objstore.ErrInvalidCopySourceRange,
	}
	for _, c := range all {
		if byCode[c.Code] == nil {
			t.Errorf("no entry for code %s", c.Code)
		}
	}
	// Shared codes resolve to the general condition, never a refinement.
	for code, want := range map[string]*objstore.Error{
		"InvalidArgument":    objstore.ErrInvalidArgument,
		"InvalidRequest":     objstore.ErrInvalidRequest,
		"ServiceUnavailable": objstore.ErrServiceUnavailable,
	} {
		if got := byCode[code]; got != want {
			t.Errorf("code %s maps to %q, want %q", code, got.Message, want.Message)
		}
	}
}

// TestCodelessResponses maps the bodiless answers of HEAD (and 304s) by
// their status and the call.
func TestCodelessResponses(t *testing.T) {
	head := op{name: "HeadObject", bucket: "b", key: "k", notFound: objstore.ErrNoSuchKey}
	headVersion := op{name: "HeadObject", bucket: "b", key: "k", notFound: objstore.ErrNoSuchVersion}
	headBucket := op{name: "HeadBucket", bucket: "b", notFound: objstore.ErrNoSuchBucket}
	headPart := op{name: "HeadObject", bucket: "b", key: "k", notFound: objstore.ErrNoSuchKey, badRange: objstore.ErrInvalidPartNumber}
	for _, c := range []struct {
		o      op
		status int
		want   *objstore.Error
	}{
		{head, http.StatusNotFound, objstore.ErrNoSuchKey},
		{headVersion, http.StatusNotFound, objstore.ErrNoSuchVersion},
		{headBucket, http.StatusNotFound, objstore.ErrNoSuchBucket},
		{head, http.StatusNotModified, objstore.ErrNotModified},
		{head, http.StatusPreconditionFailed, objstore.ErrPreconditionFailed},
		{head, http.StatusForbidden, objstore.ErrAccessDenied},
		{head, http.StatusBadRequest, objstore.ErrInvalidRequest},
		{head, http.StatusMethodNotAllowed, objstore.ErrMethodNotAllowed},
		{head, http.StatusRequestedRangeNotSatisfiable, objstore.ErrInvalidRange},
		{headPart, http.StatusRequestedRangeNotSatisfiable, objstore.ErrInvalidPartNumber},
		{head, http.StatusServiceUnavailable, objstore.ErrServiceUnavailable},
		{head, http.StatusInternalServerError, objstore.ErrInternal},
		{head, http.StatusBadGateway, objstore.ErrInternal},
		{head, http.StatusConflict, objstore.ErrInvalidRequest},
	} {
		err := c.o.wrap(sdkError(c.status, "", nil))
		if !errors.Is(err, c.want) {
			t.Errorf("%s %d: mapped to %v, want %v", c.o.name, c.status, err, c.want)
		}
		var dm *objstore.DeleteMarkerError
		if errors.As(err, &dm) {
			t.Errorf("%s %d: a delete marker without x-amz-delete-marker", c.o.name, c.status)
		}
	}
}

// TestForeignCodes maps codes outside the contract by their status.
func TestForeignCodes(t *testing.T) {
	o := op{name: "PutObject", bucket: "b", key: "k"}
	for _, c := range []struct {
		code   string
		status int
		want   *objstore.Error
	}{
		{"SignatureDoesNotMatch", http.StatusForbidden, objstore.ErrAccessDenied},
		{"InvalidAccessKeyId", http.StatusForbidden, objstore.ErrAccessDenied},
		{"SlowDown", http.StatusServiceUnavailable, objstore.ErrServiceUnavailable},
		{"RequestTimeout", http.StatusBadRequest, objstore.ErrInvalidRequest},
		{"XMinioStorageFull", http.StatusInsufficientStorage, objstore.ErrInternal},
	} {
		err := o.wrap(sdkError(c.status, c.code, nil))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: mapped to %v, want %v", c.code, err, c.want)
		}
	}
}

// TestDeleteMarkerResponses turns the x-amz-delete-marker header of a 404
// or 405 into a *objstore.DeleteMarkerError with the marker's version and time.
func TestDeleteMarkerResponses(t *testing.T) {
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	h := http.Header{}
	h.Set("x-amz-delete-marker", "true")
	h.Set("x-amz-version-id", "v123")
	h.Set("Last-Modified", when.Format(http.TimeFormat))
	o := op{name: "HeadObject", bucket: "b", key: "k", notFound: objstore.ErrNoSuchKey}
	for _, c := range []struct {
		status int
		code   string
		want   *objstore.Error
	}{
		{http.StatusNotFound, "", objstore.ErrNoSuchKey},
		{http.StatusNotFound, "NoSuchKey", objstore.ErrNoSuchKey},
		{http.StatusMethodNotAllowed, "", objstore.ErrMethodNotAllowed},
		{http.StatusMethodNotAllowed, "MethodNotAllowed", objstore.ErrMethodNotAllowed},
	} {
		err := o.wrap(sdkError(c.status, c.code, h))
		var dm *objstore.DeleteMarkerError
		if !errors.As(err, &dm) {
			t.Fatalf("%d %q: %v is no DeleteMarkerError", c.status, c.code, err)
		}
		if dm.VersionID != "v123" || !dm.LastModified.Equal(when) || !errors.Is(err, c.want) {
			t.Errorf("%d %q: marker %q at %v, error %v", c.status, c.code, dm.VersionID, dm.LastModified, err)
		}
	}
	// The header on any other status is no marker.
	err := o.wrap(sdkError(http.StatusForbidden, "AccessDenied", h))
	var dm *objstore.DeleteMarkerError
	if errors.As(err, &dm) {
		t.Errorf("403 with a delete marker header: %v", err)
	}
}

// TestErrorContext keeps the operation, the target, the server's message
// and request ID in the text, and non-S3 errors unchanged underneath.
func TestErrorContext(t *testing.T) {
	o := op{name: "GetObject", bucket: "b", key: "dir/k"}
	api := sdkError(http.StatusNotFound, "NoSuchKey", http.Header{"X-Amz-Request-Id": {"REQ42"}})
	api.(*smithy.OperationError).Err.(*awshttp.ResponseError).Err.(*smithy.GenericAPIError).Message = "gone since Tuesday"
	got := o.wrap(api).Error()
	for _, want := range []string{"s3 GetObject b/dir/k", "gone since Tuesday", "request REQ42", "NoSuchKey"} {
		if !strings.Contains(got, want) {
			t.Errorf("error %q lacks %q", got, want)
		}
	}
	netErr := fmt.Errorf("dial tcp 127.0.0.1:1: %w", errors.ErrUnsupported)
	wrapped := o.wrap(&smithy.OperationError{ServiceID: "S3", OperationName: "GetObject", Err: netErr})
	if !errors.Is(wrapped, errors.ErrUnsupported) {
		t.Errorf("transport error lost: %v", wrapped)
	}
	if objstore.AsError(wrapped) != objstore.ErrInternal {
		t.Errorf("transport error mapped to condition %v", objstore.AsError(wrapped))
	}
	if o.wrap(nil) != nil {
		t.Error("nil error wrapped")
	}
}
