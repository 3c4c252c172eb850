package sse

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// The names of the write settings, as flags spell them (--sse, …); the
// daemon's config writes them with '_' for '-'.
const (
	SettingSSE             = "sse"
	SettingKMSKeyID        = "sse-kms-key-id"
	SettingCustomerKeyFile = "sse-c-key-file"
	SettingStorageClass    = "storage-class"
)

// WriteSettings are the encryption at rest and storage class a client
// (cairn mount, cairn sync, cairn cp, the daemon's mounts and syncs) is
// told to write with, as the user wrote them.
type WriteSettings struct {
	// SSE is AES256, aws:kms or aws:kms:dsse; aws:kms when only KMSKeyID
	// is set.
	SSE string
	// KMSKeyID is the KMS key of SSE-KMS: an ID, alias/NAME or an ARN.
	KMSKeyID string
	// CustomerKeyFile holds an SSE-C key: 32 bytes, raw or in base64.
	CustomerKeyFile string
	// StorageClass is one of objstore.StorageClasses.
	StorageClass string
}

// SettingError is a mistake in WriteSettings: Setting is the name of the
// one at fault.
type SettingError struct {
	Setting string
	Msg     string
}

// Error is the reason, naming settings as the caller spells them.
func (e *SettingError) Error() string { return e.Msg }

// Defaults checks the settings and returns what every write asks for;
// name spells a setting's name in messages (a flag, a config key). The
// SSE-C key file is read here. Mistakes are *SettingError.
func (w WriteSettings) Defaults(name func(setting string) string) (WriteDefaults, error) {
	bad := func(setting, format string, args ...any) error {
		return &SettingError{Setting: setting, Msg: fmt.Sprintf(format, args...)}
	}
	d := WriteDefaults{StorageClass: objstore.StorageClass(w.StorageClass)}
	if d.StorageClass != "" && !slices.Contains(objstore.StorageClasses, d.StorageClass) {
		return d, bad(SettingStorageClass, "%s %q: want one of %v", name(SettingStorageClass), w.StorageClass, objstore.StorageClasses)
	}
	alg := w.SSE
	if alg == "" && w.KMSKeyID != "" {
		alg = "aws:kms"
	}
	switch {
	case alg != "" && w.CustomerKeyFile != "":
		return d, bad(SettingCustomerKeyFile, "%s and %s do not go together", name(SettingSSE), name(SettingCustomerKeyFile))
	case w.KMSKeyID != "" && !strings.HasPrefix(alg, "aws:kms"):
		return d, bad(SettingKMSKeyID, "%s goes with %s aws:kms or aws:kms:dsse", name(SettingKMSKeyID), name(SettingSSE))
	case alg != "" && alg != "AES256" && alg != "aws:kms" && alg != "aws:kms:dsse":
		return d, bad(SettingSSE, "%s %q: want AES256, aws:kms or aws:kms:dsse", name(SettingSSE), alg)
	}
	d.Encryption = objstore.Encryption{Algorithm: alg, KMSKeyID: w.KMSKeyID}
	if w.CustomerKeyFile != "" {
		key, err := ReadCustomerKeyFile(w.CustomerKeyFile)
		if err != nil {
			return d, bad(SettingCustomerKeyFile, "%s %s: %v", name(SettingCustomerKeyFile), w.CustomerKeyFile, err)
		}
		d.Encryption.CustomerKey = key
	}
	return d, nil
}

// ReadCustomerKeyFile reads an SSE-C key file: KeySize raw bytes, or
// their base64.
func ReadCustomerKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read SSE-C key: %w", err)
	}
	if len(b) == KeySize {
		return b, nil
	}
	if k, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b))); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("want %d bytes, raw or in base64", KeySize)
}
