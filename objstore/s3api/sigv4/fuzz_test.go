package sigv4

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cairnfs/cairn/objstore"
)

// knownCodes are the S3 codes authentication and decoding fail with.
var knownCodes = map[string]bool{
	"AccessDenied": true, "AuthorizationHeaderMalformed": true, "AuthorizationQueryParametersError": true,
	"InvalidAccessKeyId": true, "InvalidArgument": true, "InvalidRequest": true, "RequestTimeTooSkewed": true,
	"SignatureDoesNotMatch": true, "IncompleteBody": true, "MalformedTrailerError": true, "BadDigest": true,
	"InvalidDigest": true, "XAmzContentSHA256Mismatch": true,
}

func checkKnownCode(t *testing.T, err error) {
	t.Helper()
	if code := objstore.AsError(err).Code; !knownCodes[code] {
		t.Fatalf("error %v has unexpected code %s", err, code)
	}
}

// fuzzGetRequest is a GET that aws-sdk-go-v2 signed in its header.
func fuzzGetRequest(t testing.TB) *http.Request {
	req := newRequest(t, "GET", "http://127.0.0.1:9000/bucket/dir/a%20b.txt?versionId=3&x-id=GetObject", nil)
	req.Header.Set("Range", "bytes=0-99")
	sdkSign(t, req, emptySHA256, signTime)
	return req
}

func FuzzParseAuthorization(f *testing.F) {
	good := fuzzGetRequest(f)
	goodParams, err := parseAuthorization(good.Header.Get("Authorization"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good.Header.Get("Authorization"))
	f.Add("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=, Signature=")
	f.Add("AWS4-HMAC-SHA256 ,,,===")
	f.Add("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=")
	f.Fuzz(func(t *testing.T, header string) {
		p, err := parseAuthorization(header)
		if err != nil {
			checkKnownCode(t, err)
		} else {
			checkParams(t, p)
			again, err := parseAuthorization(formatAuthorization(p))
			if err != nil || formatAuthorization(again) != formatAuthorization(p) {
				t.Fatalf("%q parses, its canonical form does not round-trip: %v", header, err)
			}
		}
		req := fuzzGetRequest(t)
		req.Header.Set("Authorization", header)
		if _, err := verifierAt(signTime).Verify(req); err != nil {
			checkKnownCode(t, err)
			return
		}
		// Accepted: it must be the SDK's signature over the same headers.
		if p.signature != goodParams.signature || strings.Join(p.signedHeaders, ";") != strings.Join(goodParams.signedHeaders, ";") {
			t.Fatalf("accepted a signature the SDK did not make: %q", header)
		}
	})
}

func checkParams(t *testing.T, p authParams) {
	t.Helper()
	if p.accessKey == "" || !isDate(p.date) || p.region == "" || !isSignature(p.signature) {
		t.Fatalf("parsed into invalid parameters %+v", p)
	}
	for i, h := range p.signedHeaders {
		if h == "" || i > 0 && p.signedHeaders[i-1] >= h {
			t.Fatalf("signed headers %q not sorted and unique", p.signedHeaders)
		}
	}
}

func formatAuthorization(p authParams) string {
	return algorithm + " Credential=" + p.accessKey + "/" + p.scope() + ", SignedHeaders=" +
		strings.Join(p.signedHeaders, ";") + ", Signature=" + p.signature
}

func FuzzParsePresigned(f *testing.F) {
	const base = "http://127.0.0.1:9000/bucket/dir/a%20b.txt"
	sdk := sdkPresign(f, newRequest(f, "GET", base+"?versionId=3", nil), time.Hour, signTime)
	ours, err := Presign("GET", base+"?versionId=3", "us-east-1", docAccessKey, docSecret, time.Hour, signTime)
	if err != nil {
		f.Fatal(err)
	}
	goodQuery := canonicalQuery(parseQuery(sdk.URL.RawQuery))
	f.Add(sdk.URL.RawQuery)
	f.Add(ours[strings.IndexByte(ours, '?')+1:])
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
	f.Add("X-Amz-Expires=604801&X-Amz-Expires=-1&X-Amz-Signature=%zz&&=&X-Amz-Algorithm")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		if p, err := parsePresigned(parseQuery(rawQuery)); err != nil {
			checkKnownCode(t, err)
		} else {
			checkParams(t, p)
			if !p.presigned || p.expires < time.Second || p.expires > MaxPresignExpiry {
				t.Fatalf("parsed into invalid parameters %+v", p)
			}
		}
		req, err := http.NewRequest("GET", base, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = rawQuery
		if _, err := verifierAt(signTime.Add(time.Minute)).Verify(req); err != nil {
			checkKnownCode(t, err)
			return
		}
		// Accepted: it must mean the very request that was signed.
		if got := canonicalQuery(parseQuery(rawQuery)); got != goodQuery {
			t.Fatalf("accepted query %q, canonical %q, signed %q", rawQuery, got, goodQuery)
		}
	})
}

// chunkAuth is an authentication whose chunks a fuzz target decodes.
type chunkAuth struct {
	auth *Auth
	at   time.Time
	body []byte // a valid body
}

// sdkChunkAuth verifies an SDK-signed streaming upload of data.
func sdkChunkAuth(f *testing.F, mode PayloadMode, data []byte) chunkAuth {
	req := streamingRequest(f, streamSpec{mode: mode, data: data, chunkSize: 40, alg: trailerAlg(mode)})
	auth, err := verifierAt(signTime).Verify(req)
	if err != nil {
		f.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	return chunkAuth{auth, signTime, body}
}

var (
	sizeSig    = regexp.MustCompile(`([0-9A-Fa-f]+);chunk-signature=([0-9a-f]{64})\r\n`)
	trailerSig = regexp.MustCompile(`x-amz-trailer-signature:([0-9a-f]{64})`)
	crcLine    = regexp.MustCompile(`(?i)x-amz-checksum-crc32c[ \t]*:[ \t]*([A-Za-z0-9+/=]*)[ \t]*\r\n`)
)

// checkAccepted checks a body the decoder accepted against signatures
// computed by aws-sdk-go-v2's stream signer over what it decoded.
func checkAccepted(t *testing.T, ca chunkAuth, body, decoded []byte, sum *objstore.Checksum) {
	t.Helper()
	if ca.auth.Payload.signedChunks() {
		matches := sizeSig.FindAllSubmatch(body, -1)
		seed, _ := hex.DecodeString(ca.auth.Signature)
		signer := v4.NewStreamSigner(sdkCreds, "s3", ca.auth.Region, seed)
		rest, prev := decoded, ca.auth.Signature
		for i, m := range matches {
			size, _ := strconv.ParseInt(string(m[1]), 16, 64)
			if size > int64(len(rest)) {
				t.Fatalf("chunk %d of %d bytes, %d decoded bytes left", i, size, len(rest))
			}
			want, _ := signer.GetSignature(context.Background(), nil, rest[:size], ca.at)
			if prev = hex.EncodeToString(want); prev != string(m[2]) {
				t.Fatalf("accepted chunk %d with signature %s, the SDK computes %s", i, m[2], prev)
			}
			rest = rest[size:]
		}
		if len(rest) != 0 || len(matches) == 0 {
			t.Fatalf("accepted %d decoded bytes no chunk signature covers", len(rest))
		}
		if ca.auth.Payload == PayloadStreamingSignedTrailer {
			checkTrailerSignature(t, ca, body, prev)
		}
	}
	if ca.auth.Payload.hasTrailer() {
		h, _ := objstore.ChecksumCRC32C.NewHash()
		h.Write(decoded)
		if sum == nil || sum.Value != objstore.EncodeChecksum(h.Sum(nil)) {
			t.Fatalf("accepted a body whose CRC32C is %s with checksum %+v", objstore.EncodeChecksum(h.Sum(nil)), sum)
		}
	}
}

func checkTrailerSignature(t *testing.T, ca chunkAuth, body []byte, prev string) {
	sig, crc := trailerSig.FindSubmatch(body), crcLine.FindSubmatch(body)
	if sig == nil || crc == nil {
		t.Fatalf("accepted a signed trailer without signature or checksum: %q", body)
	}
	sts := "AWS4-HMAC-SHA256-TRAILER\n" + ca.at.Format(timeFormat) + "\n" + scope(ca.at, ca.auth.Region) + "\n" + prev +
		"\n" + hashHex([]byte("x-amz-checksum-crc32c:"+string(crc[1])+"\n"))
	if want := signHex(signingKey(docSecret, ca.at, ca.auth.Region), sts); want != string(sig[1]) {
		t.Fatalf("accepted trailer signature %s, want %s", sig[1], want)
	}
}

// decodeChunks runs the decoder over body and checks what it accepts.
func decodeChunks(t *testing.T, ca chunkAuth, body []byte, declared int64) {
	c, err := NewChunkedReader(bytes.NewReader(body), ca.auth, declared, trailerAlg(ca.auth.Payload))
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := io.ReadAll(c)
	if err != nil {
		checkKnownCode(t, err)
		if c.Checksum() != nil {
			t.Fatalf("failed body reports checksum %+v", c.Checksum())
		}
		return
	}
	if declared >= 0 && int64(len(decoded)) != declared {
		t.Fatalf("decoded %d bytes of declared %d", len(decoded), declared)
	}
	checkAccepted(t, ca, body, decoded, c.Checksum())
}

// addChunkSeeds adds a valid body and broken variants of it.
func addChunkSeeds(f *testing.F, body []byte, extra ...any) {
	add := func(b []byte) { f.Add(append([]any{b}, extra...)...) }
	add(body)
	add(body[:len(body)/2])
	add(bytes.Replace(body, []byte("\r\n"), []byte("\n"), 1))
	add(bytes.Replace(body, []byte("0123"), []byte("0124"), 1))
	add(append(bytes.Clone(body), 'x'))
	add([]byte("ffffffffffffffff;chunk-signature=" + emptySHA256 + "\r\n"))
	add([]byte("0\r\n\r\n"))
}

func FuzzChunkedSigned(f *testing.F) {
	auths := []chunkAuth{sdkChunkAuth(f, PayloadStreamingSigned, []byte(strings.Repeat("0123456789", 10)))}
	// The AWS documentation's example, under its own seed.
	docKey := signingKey(docSecret, docTime, "us-east-1")
	docBody := docChunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
		docChunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
	auths = append(auths, chunkAuth{&Auth{Payload: PayloadStreamingSigned, Time: docTime, Region: "us-east-1",
		Signature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", SigningKey: docKey}, docTime, []byte(docBody)})
	for i, ca := range auths {
		addChunkSeeds(f, ca.body, uint8(i), int64(-1))
	}
	f.Add(auths[0].body, uint8(0), int64(100))
	f.Add(auths[0].body, uint8(0), int64(99))
	f.Fuzz(func(t *testing.T, body []byte, which uint8, declared int64) {
		decodeChunks(t, auths[int(which)%len(auths)], body, max(declared, -1))
	})
}

func FuzzChunkedTrailer(f *testing.F) {
	data := []byte(strings.Repeat("0123456789", 10))
	auths := []chunkAuth{
		sdkChunkAuth(f, PayloadStreamingUnsignedTrailer, data),
		sdkChunkAuth(f, PayloadStreamingSignedTrailer, data),
	}
	for i, ca := range auths {
		addChunkSeeds(f, ca.body, uint8(i))
		add := func(b []byte) { f.Add(b, uint8(i)) }
		add(bytes.Replace(ca.body, []byte("x-amz-checksum-crc32c:"), []byte("X-Amz-Checksum-CRC32C : "), 1))
		add(bytes.Replace(ca.body, []byte("\r\nx-amz-checksum"), []byte("\r\n\r\nx-amz-checksum"), 1))
		add(ca.body[:len(ca.body)-2])
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		decodeChunks(t, auths[int(which)%len(auths)], body, -1)
	})
}
