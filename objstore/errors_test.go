package objstore_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

func TestErrorsMatchByCode(t *testing.T) {
	wrapped := fmt.Errorf("get b/k: %w", objstore.ErrNoSuchKey)
	if !errors.Is(wrapped, objstore.ErrNoSuchKey) {
		t.Error("a wrapped NoSuchKey is not NoSuchKey")
	}
	if errors.Is(wrapped, objstore.ErrNoSuchBucket) {
		t.Error("NoSuchKey matches NoSuchBucket")
	}
	sameCode := map[*objstore.Error]*objstore.Error{
		objstore.ErrInvalidMaxKeys:           objstore.ErrInvalidArgument,
		objstore.ErrInvalidContinuationToken: objstore.ErrInvalidArgument,
		objstore.ErrTooManyParts:             objstore.ErrInvalidArgument,
		objstore.ErrInvalidVersionID:         objstore.ErrInvalidArgument,
		objstore.ErrCopyToItself:             objstore.ErrInvalidRequest,
		objstore.ErrRangeAndPartNumber:       objstore.ErrInvalidRequest,
		objstore.ErrStoreClosed:              objstore.ErrServiceUnavailable,
	}
	for specific, general := range sameCode {
		if !errors.Is(fmt.Errorf("ctx: %w", specific), general) {
			t.Errorf("%s is not %s", specific.Message, general.Code)
		}
	}
}

func TestErrorStatus(t *testing.T) {
	status := map[*objstore.Error]int{
		objstore.ErrNoSuchKey:          http.StatusNotFound,
		objstore.ErrNoSuchBucket:       http.StatusNotFound,
		objstore.ErrNoSuchUpload:       http.StatusNotFound,
		objstore.ErrPreconditionFailed: http.StatusPreconditionFailed,
		objstore.ErrNotModified:        http.StatusNotModified,
		objstore.ErrInvalidRange:       http.StatusRequestedRangeNotSatisfiable,
		objstore.ErrBucketNotEmpty:     http.StatusConflict,
		objstore.ErrMethodNotAllowed:   http.StatusMethodNotAllowed,
		objstore.ErrAccessDenied:       http.StatusForbidden,
	}
	for e, want := range status {
		if e.Status != want {
			t.Errorf("%s: status %d, want %d", e.Code, e.Status, want)
		}
	}
}

func TestAsError(t *testing.T) {
	if got := objstore.AsError(fmt.Errorf("x: %w", objstore.ErrBadDigest)); got != objstore.ErrBadDigest {
		t.Errorf("AsError of a wrapped BadDigest = %v", got)
	}
	if got := objstore.AsError(errors.New("disk on fire")); got != objstore.ErrInternal {
		t.Errorf("AsError of a plain error = %v, want InternalError", got)
	}
}

func TestDeleteMarkerError(t *testing.T) {
	dm := &objstore.DeleteMarkerError{VersionID: "v123", Err: objstore.ErrNoSuchKey}
	err := fmt.Errorf("get b/k: %w", dm)
	if !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Error("a delete marker read is not NoSuchKey")
	}
	var got *objstore.DeleteMarkerError
	if !errors.As(err, &got) || got.VersionID != "v123" {
		t.Errorf("errors.As found %+v", got)
	}
	if objstore.AsError(err) != objstore.ErrNoSuchKey {
		t.Errorf("AsError = %v", objstore.AsError(err))
	}
	byID := &objstore.DeleteMarkerError{VersionID: "v9", Err: objstore.ErrMethodNotAllowed}
	if !errors.Is(byID, objstore.ErrMethodNotAllowed) || errors.Is(byID, objstore.ErrNoSuchKey) {
		t.Error("a delete marker read by version is not MethodNotAllowed alone")
	}
}

// TestRefused: a store's refusal ends a retry loop; a timeout, a
// throttle, a server failure or a network error does not.
func TestRefused(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{objstore.ErrNoSuchBucket, true},
		{fmt.Errorf("check bucket: %w", objstore.ErrAccessDenied), true},
		{&objstore.Error{Code: "RequestTimeout", Status: 408}, false},
		{&objstore.Error{Code: "SlowDown", Status: 503}, false},
		{&objstore.Error{Code: "TooManyRequests", Status: 429}, false},
		{objstore.ErrInternal, false},
		{errors.New("dial tcp 127.0.0.1:9: connection refused"), false},
	} {
		if got := objstore.Refused(c.err); got != c.want {
			t.Errorf("Refused(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
