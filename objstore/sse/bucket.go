package sse

import (
	"encoding/json"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// ConfigName is the name of the bucket configuration document that holds
// a bucket's default encryption.
const ConfigName = "encryption"

// BucketDefault is a bucket's default encryption: what objects written
// without encryption headers are encrypted with.
type BucketDefault struct {
	// Algorithm is AES256, aws:kms or aws:kms:dsse.
	Algorithm        string `json:"algorithm"`
	KMSKeyID         string `json:"kms_key_id,omitempty"`
	BucketKeyEnabled bool   `json:"bucket_key_enabled,omitempty"`
}

// Validate checks the default as PutBucketEncryption does.
func (d BucketDefault) Validate() error {
	switch d.Algorithm {
	case "AES256":
		if d.KMSKeyID != "" {
			return fmt.Errorf("KMSMasterKeyID with AES256: %w", ErrNotSupported)
		}
	case "aws:kms", "aws:kms:dsse":
	default:
		return fmt.Errorf("SSEAlgorithm %q: %w", d.Algorithm, objstore.ErrMalformedXML)
	}
	return nil
}

// Encode is the document stored with the bucket.
func (d BucketDefault) Encode() []byte {
	b, _ := json.Marshal(d)
	return b
}

// ParseBucketDefault reads a stored document.
func ParseBucketDefault(doc []byte) (BucketDefault, error) {
	var d BucketDefault
	if err := json.Unmarshal(doc, &d); err != nil {
		return d, fmt.Errorf("bucket encryption document: %w", err)
	}
	return d, nil
}

// Encryption is the encryption a write without its own gets.
func (d BucketDefault) Encryption() objstore.Encryption {
	return objstore.Encryption{Algorithm: d.Algorithm, KMSKeyID: d.KMSKeyID, BucketKeyEnabled: d.BucketKeyEnabled}
}
