// Package sigv4 authenticates S3 requests signed with AWS Signature
// Version 4 and decodes their payloads.
//
// A server authenticates each request with a Verifier:
//
//	v := &sigv4.Verifier{Credentials: creds}
//	if !sigv4.HasAuth(r) {
//		// anonymous request: the server's policy decides
//	}
//	auth, err := v.Verify(r) // *objstore.Error values inside err
//	body, err := auth.Body(r)
//	alg := body.TrailerAlgorithm() // a trailing checksum to compute, if any
//	// read body to io.EOF; an error at the end (bad chunk signature,
//	// x-amz-content-sha256 or trailing checksum mismatch, short body)
//	// means the upload must be discarded.
//	sum := body.Checksum() // the trailing x-amz-checksum-*, if one was sent
//
// TrimAWSChunked gives the Content-Encoding to store, without aws-chunked.
//
// Verify accepts both forms of SigV4: the Authorization header and the
// pre-signed query string (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
// X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature). It builds the
// canonical request the way S3 does: the path is encoded once per segment
// and never normalised, the query is sorted, header values are trimmed with
// inner runs of spaces collapsed. It allows 15 minutes of clock skew and
// pre-signed URLs valid for at most 7 days.
//
// Body decodes every payload mode that SDKs send, named by the
// x-amz-content-sha256 header: a hex SHA-256 of the body (checked at EOF),
// UNSIGNED-PAYLOAD, and the aws-chunked encodings
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD (chained chunk signatures),
// STREAMING-UNSIGNED-PAYLOAD-TRAILER and
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER (a trailing checksum named by
// x-amz-trailer, signed in the latter). Signed chunks are held back until
// their signature is checked, so no unauthenticated byte reaches the reader.
//
// Presign makes pre-signed URLs that this package and S3 itself accept.
//
// Failures are *objstore.Error values (this package's Err* ones and some
// of objstore's), wrapped with context: errors.Is and objstore.AsError
// give the S3 code and HTTP status to answer with.
package sigv4
