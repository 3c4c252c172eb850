package sse

import (
	"errors"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
)

// ErrTampered reports encrypted data that does not authenticate: altered,
// reordered, cut short or extended chunks, or the wrong key.
var ErrTampered = errors.New("encrypted data does not authenticate")

// The S3 error conditions of encryption at rest.
var (
	ErrNotSupported        = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "The encryption method specified is not supported."}
	ErrKMSNotFound         = &objstore.Error{Code: "KMS.NotFoundException", Status: http.StatusBadRequest, Message: "Invalid keyId."}
	ErrKMSDisabled         = &objstore.Error{Code: "KMS.DisabledException", Status: http.StatusBadRequest, Message: "The KMS key is disabled."}
	ErrCustomerKeyMissing  = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object."}
	ErrCustomerKeyWrong    = &objstore.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: "Access Denied"}
	ErrCustomerKeyMD5      = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "The calculated MD5 hash of the key did not match the hash that was provided."}
	ErrCustomerKeyInvalid  = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "The secret key was invalid for the specified algorithm."}
	ErrCustomerKeyInsecure = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection."}
	ErrNotApplicable       = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "The encryption parameters are not applicable to this object."}
	ErrConfigNotFound      = &objstore.Error{Code: "ServerSideEncryptionConfigurationNotFoundError", Status: http.StatusNotFound, Message: "The server side encryption configuration was not found"}
)
