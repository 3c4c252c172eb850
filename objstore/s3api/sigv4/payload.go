package sigv4

import (
	"fmt"
	"net/http"
	"strings"
)

// PayloadMode tells how a request's body is protected, as the
// x-amz-content-sha256 header names it.
type PayloadMode int

// The payload modes of S3.
const (
	// PayloadUnsigned is UNSIGNED-PAYLOAD, and every pre-signed request.
	PayloadUnsigned PayloadMode = iota
	// PayloadSigned is a hex SHA-256 of the whole body.
	PayloadSigned
	// PayloadStreamingSigned is STREAMING-AWS4-HMAC-SHA256-PAYLOAD:
	// aws-chunked with chained chunk signatures.
	PayloadStreamingSigned
	// PayloadStreamingUnsignedTrailer is STREAMING-UNSIGNED-PAYLOAD-TRAILER:
	// aws-chunked without signatures, then a trailing checksum.
	PayloadStreamingUnsignedTrailer
	// PayloadStreamingSignedTrailer is
	// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed chunks, then a
	// signed trailing checksum.
	PayloadStreamingSignedTrailer
)

var payloadNames = map[PayloadMode]string{
	PayloadUnsigned:                 unsignedValue,
	PayloadSigned:                   "SHA-256",
	PayloadStreamingSigned:          "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
	PayloadStreamingUnsignedTrailer: "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
	PayloadStreamingSignedTrailer:   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
}

// String is the x-amz-content-sha256 value of the mode ("SHA-256" for a hash).
func (m PayloadMode) String() string {
	if s, ok := payloadNames[m]; ok {
		return s
	}
	return fmt.Sprintf("PayloadMode(%d)", int(m))
}

// Streaming tells whether the body is aws-chunked.
func (m PayloadMode) Streaming() bool { return m >= PayloadStreamingSigned }

// signedChunks tells whether chunks carry signatures.
func (m PayloadMode) signedChunks() bool {
	return m == PayloadStreamingSigned || m == PayloadStreamingSignedTrailer
}

// hasTrailer tells whether a trailer follows the last chunk.
func (m PayloadMode) hasTrailer() bool {
	return m == PayloadStreamingUnsignedTrailer || m == PayloadStreamingSignedTrailer
}

// canonical is the payload line of the canonical request.
func (m PayloadMode) canonical(a *Auth) string {
	if m == PayloadSigned {
		return a.ContentSHA256
	}
	return m.String()
}

// setPayload sets a.Payload (and a.ContentSHA256) from r. Pre-signed
// requests are UNSIGNED-PAYLOAD; signed headers need x-amz-content-sha256.
func setPayload(r *http.Request, a *Auth) error {
	if a.Presigned {
		a.Payload = PayloadUnsigned
		return nil
	}
	v := r.Header.Get("X-Amz-Content-Sha256")
	if v == "" {
		return ErrMissingContentSHA256
	}
	for m, name := range payloadNames {
		if m != PayloadSigned && v == name {
			a.Payload = m
			return nil
		}
	}
	if len(v) != 64 || strings.Trim(strings.ToLower(v), "0123456789abcdef") != "" {
		return fmt.Errorf("x-amz-content-sha256 %.80q: %w", v, ErrInvalidContentSHA256)
	}
	a.Payload, a.ContentSHA256 = PayloadSigned, v
	return nil
}
