package sigv4

import (
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
)

// The S3 error conditions of authentication that objstore does not define.
// Failures carry these (or objstore.ErrAccessDenied, ErrIncompleteBody,
// ErrBadDigest, ErrMissingContentLength), often with a more precise
// message; errors.Is matches them by S3 code.
var (
	ErrSignatureDoesNotMatch = &objstore.Error{Code: "SignatureDoesNotMatch", Status: http.StatusForbidden,
		Message: "The request signature we calculated does not match the signature you provided. Check your key and signing method."}
	ErrInvalidAccessKeyID = &objstore.Error{Code: "InvalidAccessKeyId", Status: http.StatusForbidden,
		Message: "The AWS Access Key Id you provided does not exist in our records."}
	ErrRequestTimeTooSkewed = &objstore.Error{Code: "RequestTimeTooSkewed", Status: http.StatusForbidden,
		Message: "The difference between the request time and the current time is too large."}
	ErrAuthorizationHeaderMalformed = &objstore.Error{Code: "AuthorizationHeaderMalformed", Status: http.StatusBadRequest,
		Message: "The authorization header is malformed."}
	ErrAuthorizationQueryParametersError = &objstore.Error{Code: "AuthorizationQueryParametersError", Status: http.StatusBadRequest,
		Message: "Error parsing the query-string authentication parameters."}
	ErrContentSHA256Mismatch = &objstore.Error{Code: "XAmzContentSHA256Mismatch", Status: http.StatusBadRequest,
		Message: "The provided 'x-amz-content-sha256' header does not match what was computed."}
	ErrMalformedTrailer = &objstore.Error{Code: "MalformedTrailerError", Status: http.StatusBadRequest,
		Message: "The request contained trailing data that was not well-formed or did not conform to our published schema."}
	ErrMalformedChunk = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest,
		Message: "The request body is not a well-formed aws-chunked encoding."}
	ErrUnsupportedAuth = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest,
		Message: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."}
	ErrMultipleAuth = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest,
		Message: "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"}
	ErrMissingContentSHA256 = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest,
		Message: "Missing required header for this request: x-amz-content-sha256"}
	ErrInvalidContentSHA256 = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest,
		Message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value."}
	ErrUnsupportedTrailer = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest,
		Message: "The value specified in the x-amz-trailer header is not supported"}
)

// The AccessDenied conditions of authentication.
var (
	errRequestExpired   = accessDenied("Request has expired")
	errNotYetValid      = accessDenied("Request is not valid yet")
	errHeadersNotSigned = accessDenied("There were headers present in the request which were not signed")
	errMissingDate      = accessDenied("AWS authentication requires a valid Date or x-amz-date header")
	errMissingAuth      = objstore.ErrAccessDenied
)

func accessDenied(msg string) *objstore.Error {
	return &objstore.Error{Code: objstore.ErrAccessDenied.Code, Status: objstore.ErrAccessDenied.Status, Message: msg}
}

// withMessage returns the condition of base with a more precise message;
// errors.Is still matches it with base.
func withMessage(base *objstore.Error, format string, args ...any) *objstore.Error {
	return &objstore.Error{Code: base.Code, Status: base.Status, Message: fmt.Sprintf(format, args...)}
}
