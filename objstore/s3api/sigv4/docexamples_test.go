package sigv4

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// The examples of the AWS documentation ("Signature Calculations for the
// Authorization Header" and "Authenticating Requests: Using Query
// Parameters"), checked through Verify so that the whole canonical
// request is proven.
func TestVerifyDocumentedHeaderExamples(t *testing.T) {
	const host = "examplebucket.s3.amazonaws.com"
	cases := []struct {
		name, method, url, signedHeaders, signature string
		headers                                     map[string]string
		body                                        string
	}{
		{
			name: "GET object with range", method: "GET", url: "https://" + host + "/test.txt",
			headers:       map[string]string{"Range": "bytes=0-9", "X-Amz-Content-Sha256": emptySHA256},
			signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
			signature:     "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
		},
		{
			name: "PUT object with an escaped key", method: "PUT", url: "https://" + host + "/test%24file.text",
			headers: map[string]string{
				"Date": "Fri, 24 May 2013 00:00:00 GMT", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY",
				"X-Amz-Content-Sha256": "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
			},
			body:          "Welcome to Amazon S3.",
			signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
			signature:     "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
		},
		{
			name: "GET bucket lifecycle", method: "GET", url: "https://" + host + "/?lifecycle",
			headers:       map[string]string{"X-Amz-Content-Sha256": emptySHA256},
			signedHeaders: "host;x-amz-content-sha256;x-amz-date",
			signature:     "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
		},
		{
			name: "list objects", method: "GET", url: "https://" + host + "/?max-keys=2&prefix=J",
			headers:       map[string]string{"X-Amz-Content-Sha256": emptySHA256},
			signedHeaders: "host;x-amz-content-sha256;x-amz-date",
			signature:     "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, tc.method, tc.url, []byte(tc.body))
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			req.Header.Set("X-Amz-Date", "20130524T000000Z")
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+docAccessKey+
				"/20130524/us-east-1/s3/aws4_request,SignedHeaders="+tc.signedHeaders+",Signature="+tc.signature)
			auth, err := verifierAt(docTime).Verify(req)
			if err != nil {
				t.Fatalf("the documented request is refused: %v", err)
			}
			if auth.AccessKey != docAccessKey || auth.Region != "us-east-1" || auth.Presigned {
				t.Fatalf("auth = %+v", auth)
			}
			body, err := auth.Body(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(body)
			if err != nil || string(got) != tc.body {
				t.Fatalf("body = %q, %v; want %q", got, err, tc.body)
			}
		})
	}
}

func TestVerifyDocumentedPresignedExample(t *testing.T) {
	url := "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	req := newRequest(t, "GET", url, nil)
	auth, err := verifierAt(docTime.Add(23 * time.Hour)).Verify(req)
	if err != nil {
		t.Fatalf("the documented pre-signed URL is refused: %v", err)
	}
	if !auth.Presigned || auth.Payload != PayloadUnsigned {
		t.Fatalf("auth = %+v", auth)
	}
	_, err = verifierAt(docTime.Add(24*time.Hour + time.Second)).Verify(req)
	if !errors.Is(err, objstore.ErrAccessDenied) || !strings.Contains(objstore.AsError(err).Message, "expired") {
		t.Fatalf("a day and a second later: %v, want AccessDenied: Request has expired", err)
	}
}

// The documentation's chunked upload: the seed signature that Verify
// computes, then each chunk signature of the body, reproduced exactly.
func TestDocumentedStreamingExample(t *testing.T) {
	const seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
	body := docChunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
		docChunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
	if len(body) != 66824 {
		t.Fatalf("example body is %d bytes, the documentation says 66824", len(body))
	}
	req := docStreamingRequest(t, body, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "", seed)
	auth, err := verifierAt(docTime).Verify(req)
	if err != nil {
		t.Fatalf("the documented seed signature is refused: %v", err)
	}
	if auth.Signature != seed || auth.Payload != PayloadStreamingSigned {
		t.Fatalf("auth = %+v", auth)
	}
	b, err := auth.Body(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(b)
	if err != nil {
		t.Fatalf("the documented chunks are refused: %v", err)
	}
	if !bytes.Equal(got, bytes.Repeat([]byte("a"), 66560)) || b.Size() != 66560 {
		t.Fatalf("decoded %d bytes, size %d; want 66560 'a's", len(got), b.Size())
	}
}

// The documentation's chunked upload with a trailing CRC32C, signed.
func TestDocumentedStreamingTrailerExample(t *testing.T) {
	const seed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
	chunks := docChunk(65536, "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2") +
		docChunk(1024, "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7") +
		"0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
	trailer := "x-amz-checksum-crc32c:sOO8/Q==\r\n" +
		"x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n"
	// The documentation shows a blank line between the final chunk and the
	// trailer, SDKs send none; both end in a blank line.
	for name, body := range map[string]string{
		"as SDKs send it":            chunks + trailer + "\r\n",
		"as the documentation shows": chunks + "\r\n" + trailer + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			req := docStreamingRequest(t, body, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "x-amz-checksum-crc32c", seed)
			auth, err := verifierAt(docTime).Verify(req)
			if err != nil {
				t.Fatalf("the documented seed signature is refused: %v", err)
			}
			b, err := auth.Body(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(b)
			if err != nil {
				t.Fatalf("the documented chunks and trailer are refused: %v", err)
			}
			if len(got) != 66560 {
				t.Fatalf("decoded %d bytes, want 66560", len(got))
			}
			want := objstore.Checksum{Algorithm: objstore.ChecksumCRC32C, Value: "sOO8/Q==", Type: objstore.ChecksumTypeFullObject}
			if c := b.Checksum(); c == nil || *c != want {
				t.Fatalf("checksum = %+v, want %+v", c, want)
			}
		})
	}
}

func docChunk(size int, sig string) string {
	return strconv.FormatInt(int64(size), 16) + ";chunk-signature=" + sig + "\r\n" + strings.Repeat("a", size) + "\r\n"
}

// docStreamingRequest is the documentation's chunked PUT, with its seed
// signature; trailer is x-amz-trailer, if any.
func docStreamingRequest(t *testing.T, body, payload, trailer, seed string) *http.Request {
	req := newRequest(t, "PUT", "https://s3.amazonaws.com/examplebucket/chunkObject.txt", []byte(body))
	req.Header.Set("X-Amz-Date", "20130524T000000Z")
	req.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	req.Header.Set("X-Amz-Content-Sha256", payload)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", "66560")
	signed := "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class"
	if trailer != "" {
		req.Header.Set("X-Amz-Trailer", trailer)
		signed = "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer"
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+docAccessKey+
		"/20130524/us-east-1/s3/aws4_request,SignedHeaders="+signed+",Signature="+seed)
	return req
}
