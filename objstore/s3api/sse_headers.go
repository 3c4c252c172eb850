package s3api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// Headers of server-side encryption.
const (
	hdrSSE           = "x-amz-server-side-encryption"
	hdrSSEKMSKeyID   = "x-amz-server-side-encryption-aws-kms-key-id"
	hdrSSEContext    = "x-amz-server-side-encryption-context"
	hdrSSEBucketKey  = "x-amz-server-side-encryption-bucket-key-enabled"
	hdrSSECAlgorithm = "x-amz-server-side-encryption-customer-algorithm"
	hdrSSECKey       = "x-amz-server-side-encryption-customer-key"
	hdrSSECKeyMD5    = "x-amz-server-side-encryption-customer-key-md5"
	// copySourcePrefix turns an SSE-C header into its copy-source form
	// (x-amz-copy-source-server-side-encryption-customer-*).
	copySourcePrefix = "x-amz-copy-source-"
)

// encryptionFromHeaders reads the encryption a write asks for: SSE-S3,
// SSE-KMS, DSSE-KMS or SSE-C.
func encryptionFromHeaders(rq *request) (objstore.Encryption, error) {
	h := rq.r.Header
	enc := objstore.Encryption{
		Algorithm:  h.Get(hdrSSE),
		KMSKeyID:   h.Get(hdrSSEKMSKeyID),
		KMSContext: h.Get(hdrSSEContext),
	}
	switch enc.Algorithm {
	case "", "AES256", "aws:kms", "aws:kms:dsse":
	default:
		return enc, fmt.Errorf("%s %q: %w", hdrSSE, enc.Algorithm, sse.ErrNotSupported)
	}
	if (enc.KMSKeyID != "" || enc.KMSContext != "") && !strings.HasPrefix(enc.Algorithm, "aws:kms") {
		return enc, fmt.Errorf("%s without aws:kms: %w", hdrSSEKMSKeyID, sse.ErrNotSupported)
	}
	if err := checkContext(enc.KMSContext); err != nil {
		return enc, err
	}
	if v := h.Get(hdrSSEBucketKey); v != "" {
		enc.BucketKeyEnabled = strings.EqualFold(v, "true")
	}
	key, err := customerKey(rq, "")
	if err != nil {
		return enc, err
	}
	if key != nil {
		if enc.Algorithm != "" {
			return enc, fmt.Errorf("SSE-C together with %s: %w", enc.Algorithm, objstore.ErrInvalidArgument)
		}
		enc.CustomerAlgorithm, enc.CustomerKey = sse.CustomerAlgorithm, key
	}
	return enc, nil
}

// checkContext checks an SSE-KMS encryption context: base64 of a JSON
// object of strings.
func checkContext(v string) error {
	if v == "" {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	var m map[string]string
	if err == nil {
		err = json.Unmarshal(raw, &m)
	}
	if err != nil {
		return fmt.Errorf("%s: %v: %w", hdrSSEContext, err, objstore.ErrInvalidArgument)
	}
	return nil
}

// customerKey reads an SSE-C key from the headers (prefix "" for the
// object's, copySourcePrefix for a copy's source). Keys travel only over
// TLS, as S3 has it.
func customerKey(rq *request, prefix string) ([]byte, error) {
	h := rq.r.Header
	name := func(hdr string) string {
		if prefix == "" {
			return hdr
		}
		return prefix + strings.TrimPrefix(hdr, "x-amz-")
	}
	key, err := sse.ParseCustomerKey(h.Get(name(hdrSSECAlgorithm)), h.Get(name(hdrSSECKey)), h.Get(name(hdrSSECKeyMD5)))
	if err != nil || key == nil {
		return nil, err
	}
	if rq.r.TLS == nil {
		return nil, sse.ErrCustomerKeyInsecure
	}
	return key, nil
}

// keyARNs writes KMS key references as the ARNs AWS reports: of the
// server's region and the root's account, which own the key service.
type keyARNs struct{ region, account string }

// keyARNs is the server's keyARNs.
func (s *Server) keyARNs() keyARNs { return keyARNs{region: s.cfg.Region, account: s.rootAccount()} }

// of is the ARN of the key ref names.
func (k keyARNs) of(ref string) string { return sse.KeyARN(k.region, k.account, ref) }

// setEncryptionHeaders reports how an object is encrypted, as S3 does:
// an SSE-KMS key by its ARN.
func setEncryptionHeaders(h http.Header, enc objstore.Encryption, arns keyARNs) {
	setIf(h, hdrSSE, enc.Algorithm)
	if strings.HasPrefix(enc.Algorithm, "aws:kms") {
		setIf(h, hdrSSEKMSKeyID, arns.of(enc.KMSKeyID))
	}
	if enc.BucketKeyEnabled {
		h.Set(hdrSSEBucketKey, "true")
	}
	if enc.CustomerAlgorithm != "" {
		h.Set(hdrSSECAlgorithm, enc.CustomerAlgorithm)
		h.Set(hdrSSECKeyMD5, enc.CustomerKeyMD5)
	}
}

// setWriteEncryptionHeaders reports the encryption of a write: the
// context too, which S3 returns only to the writer.
func setWriteEncryptionHeaders(h http.Header, enc objstore.Encryption, arns keyARNs) {
	setEncryptionHeaders(h, enc, arns)
	if strings.HasPrefix(enc.Algorithm, "aws:kms") {
		setIf(h, hdrSSEContext, enc.KMSContext)
	}
}

// KMSKeyResolver resolves a KMS key reference (an ID, an alias, an ARN of
// either; empty for the default key) to the key's ID. sse.Service is one.
type KMSKeyResolver interface {
	KeyID(ref string) (string, error)
}

// uploadEncryption is the encryption a new multipart upload gets: the
// one requested, else the bucket's default encryption (which S3 reports
// in CreateMultipartUpload's answer), else none.
func (s *Server) uploadEncryption(ctx context.Context, bucket string, requested objstore.Encryption) objstore.Encryption {
	return s.resolveKMSKey(s.requestedOrDefault(ctx, bucket, requested))
}

// resolveKMSKey names enc's KMS key by its ID, as the objects it will
// seal record it; a key the resolver does not know is left as named.
func (s *Server) resolveKMSKey(enc objstore.Encryption) objstore.Encryption {
	if !strings.HasPrefix(enc.Algorithm, "aws:kms") || s.cfg.KMSKeys == nil {
		return enc
	}
	if id, err := s.cfg.KMSKeys.KeyID(enc.KMSKeyID); err == nil {
		enc.KMSKeyID = id
	}
	return enc
}

// requestedOrDefault is the requested encryption, else the bucket's
// default encryption, else none.
func (s *Server) requestedOrDefault(ctx context.Context, bucket string, requested objstore.Encryption) objstore.Encryption {
	if sse.Encrypted(requested) {
		return requested
	}
	e, err := s.engine("bucket encryption")
	if err != nil {
		return requested
	}
	doc, ok, err := e.GetBucketConfig(ctx, bucket, sse.ConfigName)
	if err != nil || !ok {
		return requested
	}
	d, err := sse.ParseBucketDefault(doc)
	if err != nil {
		return requested
	}
	return d.Encryption()
}

// setRequestedEncryptionHeaders echoes the SSE-C headers of a request
// whose answer has no object to describe (UploadPart).
func setRequestedEncryptionHeaders(h http.Header, key []byte) {
	if key != nil {
		h.Set(hdrSSECAlgorithm, sse.CustomerAlgorithm)
		h.Set(hdrSSECKeyMD5, sse.KeyMD5(key))
	}
}
