package sigv4

import (
	"context"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cairnfs/cairn/objstore"
)

// streamSpec describes an aws-chunked upload to build for a test.
type streamSpec struct {
	mode      PayloadMode
	data      []byte
	chunkSize int
	alg       objstore.ChecksumAlgorithm // trailing checksum, "" for none
}

// streamingRequest builds a PUT whose headers aws-sdk-go-v2 signed and
// whose aws-chunked body carries chunk signatures from the SDK's stream
// signer (S3's chunk string to sign is its event-stream one with empty
// headers).
func streamingRequest(t testing.TB, s streamSpec) *http.Request {
	t.Helper()
	req := newRequest(t, "PUT", "http://127.0.0.1:9000/bucket/object.bin", nil)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(s.data)))
	if s.alg != "" {
		req.Header.Set("X-Amz-Trailer", checksumPrefix+strings.ToLower(string(s.alg)))
	}
	// The encoded length does not depend on the seed: sign it, then encode.
	length := len(encodeChunked(t, s, emptySHA256))
	body := encodeChunked(t, s, signStreaming(t, req, s.mode, int64(length)))
	req.Body = nopBody(body)
	return req
}

func signStreaming(t testing.TB, req *http.Request, mode PayloadMode, length int64) string {
	req.ContentLength = length
	req.Header.Set("Content-Length", strconv.FormatInt(length, 10))
	req.Header.Del("Authorization")
	sdkSign(t, req, mode.String(), signTime)
	a := req.Header.Get("Authorization")
	return a[strings.LastIndex(a, "=")+1:]
}

// encodeChunked frames s.data as aws-chunked, signing chunks (and the
// trailer) from seed when the mode says so.
func encodeChunked(t testing.TB, s streamSpec, seed string) []byte {
	t.Helper()
	seedBytes, _ := hex.DecodeString(seed)
	signer := v4.NewStreamSigner(sdkCreds, "s3", "us-east-1", seedBytes)
	prev := seed
	var out []byte
	frame := func(chunk []byte) {
		head := strconv.FormatInt(int64(len(chunk)), 16)
		if s.mode.signedChunks() {
			sig, err := signer.GetSignature(context.Background(), nil, chunk, signTime)
			if err != nil {
				t.Fatal(err)
			}
			prev = hex.EncodeToString(sig)
			head += ";chunk-signature=" + prev
		}
		out = append(out, head+"\r\n"...)
		out = append(out, chunk...)
		if len(chunk) > 0 {
			out = append(out, "\r\n"...)
		}
	}
	for rest := s.data; len(rest) > 0; {
		n := min(s.chunkSize, len(rest))
		frame(rest[:n])
		rest = rest[n:]
	}
	frame(nil)
	if !s.mode.hasTrailer() {
		return append(out, "\r\n"...)
	}
	var trailer string
	if s.alg != "" {
		h, err := s.alg.NewHash()
		if err != nil {
			t.Fatal(err)
		}
		h.Write(s.data)
		trailer = checksumPrefix + strings.ToLower(string(s.alg)) + ":" + objstore.EncodeChecksum(h.Sum(nil)) + "\n"
	}
	out = append(out, strings.ReplaceAll(trailer, "\n", "\r\n")...)
	if s.mode == PayloadStreamingSignedTrailer {
		sts := "AWS4-HMAC-SHA256-TRAILER\n" + signTime.Format(timeFormat) + "\n" + scope(signTime, "us-east-1") + "\n" +
			prev + "\n" + hashHex([]byte(trailer))
		key := signingKey(docSecret, signTime, "us-east-1")
		out = append(out, "x-amz-trailer-signature:"+signHex(key, sts)+"\r\n"...)
	}
	return append(out, "\r\n"...)
}
