package sigv4

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cairnfs/cairn/objstore"
)

// pattern is n bytes that differ from chunk to chunk.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// decode verifies req and reads its body through reader wrap.
func decode(t *testing.T, r *http.Request, wrap func(io.Reader) io.Reader) ([]byte, *Body, error) {
	t.Helper()
	auth, err := verifierAt(signTime).Verify(r)
	if err != nil {
		t.Fatalf("headers refused: %v", err)
	}
	body, err := auth.Body(r)
	if err != nil {
		t.Fatalf("Body: %v", err)
	}
	got, err := io.ReadAll(wrap(body))
	return got, body, err
}

func identity(r io.Reader) io.Reader { return r }

func TestChunkedSDKRoundTrip(t *testing.T) {
	modes := []PayloadMode{PayloadStreamingSigned, PayloadStreamingUnsignedTrailer, PayloadStreamingSignedTrailer}
	sizes := []struct{ data, chunk int }{{0, 64}, {1, 64}, {64, 64}, {1000, 64}, {200 << 10, 64 << 10}}
	readers := map[string]func(io.Reader) io.Reader{"whole": identity, "byte by byte": iotest.OneByteReader, "halves": iotest.HalfReader}
	for _, mode := range modes {
		for _, sz := range sizes {
			for rname, wrap := range readers {
				alg := objstore.ChecksumAlgorithm("")
				if mode.hasTrailer() {
					alg = objstore.ChecksumCRC32
				}
				t.Run(fmt.Sprintf("%s/%d in %d/%s", mode, sz.data, sz.chunk, rname), func(t *testing.T) {
					data := pattern(sz.data)
					req := streamingRequest(t, streamSpec{mode: mode, data: data, chunkSize: sz.chunk, alg: alg})
					got, body, err := decode(t, req, wrap)
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if !bytes.Equal(got, data) || body.Size() != int64(len(data)) {
						t.Fatalf("decoded %d bytes (size %d), want %d", len(got), body.Size(), len(data))
					}
					if (body.Checksum() != nil) != (alg != "") {
						t.Fatalf("checksum %+v with x-amz-trailer %q", body.Checksum(), alg)
					}
				})
			}
		}
	}
}

func TestChunkedTrailerChecksums(t *testing.T) {
	data := pattern(5000)
	for _, alg := range []objstore.ChecksumAlgorithm{objstore.ChecksumCRC32, objstore.ChecksumCRC32C,
		objstore.ChecksumCRC64NVME, objstore.ChecksumSHA1, objstore.ChecksumSHA256} {
		for _, mode := range []PayloadMode{PayloadStreamingUnsignedTrailer, PayloadStreamingSignedTrailer} {
			t.Run(string(alg)+"/"+mode.String(), func(t *testing.T) {
				_, body, err := decode(t, streamingRequest(t, streamSpec{mode: mode, data: data, chunkSize: 1024, alg: alg}), identity)
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				h, _ := alg.NewHash()
				h.Write(data)
				want := objstore.Checksum{Algorithm: alg, Value: objstore.EncodeChecksum(h.Sum(nil)), Type: objstore.ChecksumTypeFullObject}
				if c := body.Checksum(); c == nil || *c != want {
					t.Fatalf("checksum %+v, want %+v", c, want)
				}
				if body.TrailerAlgorithm() != alg {
					t.Fatalf("trailer algorithm %q, want %q", body.TrailerAlgorithm(), alg)
				}
			})
		}
	}
}

// editBody replaces the body of req with edit(body).
func editBody(t *testing.T, req *http.Request, edit func(string) string) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = nopBody([]byte(edit(string(b))))
}

func TestChunkedRejectsTampering(t *testing.T) {
	data := []byte(strings.Repeat("0123456789", 10)) // chunks of 40, 40, 20
	cases := []struct {
		name string
		mode PayloadMode
		edit func(string) string
		code string
	}{
		{"data byte of chunk 2", PayloadStreamingSigned, func(b string) string { return replaceNth(b, "0123", "X123", 6) }, "SignatureDoesNotMatch"},
		{"chunks swapped", PayloadStreamingSigned, swapChunks, "SignatureDoesNotMatch"},
		{"chunk dropped", PayloadStreamingSigned, dropSecondChunk, "SignatureDoesNotMatch"},
		{"chunk signature", PayloadStreamingSigned, func(b string) string { return flipSignature(b, "chunk-signature=", 1) }, "SignatureDoesNotMatch"},
		{"final chunk signature", PayloadStreamingSigned, func(b string) string { return flipSignature(b, "0;chunk-signature=", 0) }, "SignatureDoesNotMatch"},
		{"signature removed", PayloadStreamingSigned, func(b string) string { return strings.Replace(b, ";chunk-signature=", ";x=", 1) }, "InvalidRequest"},
		{"trailer checksum, signed", PayloadStreamingSignedTrailer, changeChecksum, "SignatureDoesNotMatch"},
		{"trailer signature", PayloadStreamingSignedTrailer, func(b string) string { return flipSignature(b, "x-amz-trailer-signature:", 0) }, "SignatureDoesNotMatch"},
		{"trailer signature removed", PayloadStreamingSignedTrailer, dropLine("x-amz-trailer-signature:"), "MalformedTrailerError"},
		{"trailer checksum, unsigned", PayloadStreamingUnsignedTrailer, changeChecksum, "BadDigest"},
		{"data byte, unsigned", PayloadStreamingUnsignedTrailer, func(b string) string { return replaceNth(b, "0123", "X123", 6) }, "BadDigest"},
		{"trailer checksum removed", PayloadStreamingUnsignedTrailer, dropLine("x-amz-checksum-crc32c:"), "MalformedTrailerError"},
		{"other trailer", PayloadStreamingUnsignedTrailer, func(b string) string { return strings.Replace(b, "x-amz-checksum-crc32c:", "x-amz-meta-a:", 1) }, "MalformedTrailerError"},
		{"trailer twice", PayloadStreamingUnsignedTrailer, func(b string) string {
			return strings.Replace(b, "\r\n\r\n", "\r\nx-amz-checksum-crc32c:AAAAAA==\r\n\r\n", 1)
		}, "MalformedTrailerError"},
		{"data after the end", PayloadStreamingSigned, func(b string) string { return b + "x" }, "InvalidRequest"},
		{"bare LF", PayloadStreamingUnsignedTrailer, func(b string) string { return strings.Replace(b, "28\r\n", "28\n", 1) }, "InvalidRequest"},
		{"no CRLF after data", PayloadStreamingUnsignedTrailer, func(b string) string { return strings.Replace(b, "9\r\n", "9xx", 1) }, "InvalidRequest"},
		{"size not hex", PayloadStreamingUnsignedTrailer, func(b string) string { return strings.Replace(b, "28\r\n", "2g\r\n", 1) }, "InvalidRequest"},
		{"signed size", PayloadStreamingUnsignedTrailer, func(b string) string { return strings.Replace(b, "28\r\n", "+28\r\n", 1) }, "InvalidRequest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := streamingRequest(t, streamSpec{mode: tc.mode, data: data, chunkSize: 40, alg: trailerAlg(tc.mode)})
			editBody(t, req, tc.edit)
			got, _, err := decode(t, req, identity)
			wantCode(t, err, tc.code)
			if tc.mode.signedChunks() && tc.code == "SignatureDoesNotMatch" && !bytes.HasPrefix(data, got) {
				t.Fatalf("bytes of a bad chunk came out: %q", got)
			}
		})
	}
}

func trailerAlg(m PayloadMode) objstore.ChecksumAlgorithm {
	if m.hasTrailer() {
		return objstore.ChecksumCRC32C
	}
	return ""
}

func replaceNth(s, old, repl string, n int) string {
	i := 0
	for range n {
		j := strings.Index(s[i:], old)
		if j < 0 {
			return s
		}
		i += j + len(old)
	}
	return s[:i-len(old)] + repl + s[i:]
}

// chunks splits an aws-chunked body into its framed chunks (header line
// through the CRLF after the data), and the rest.
func chunks(b string) ([]string, string) {
	var out []string
	for {
		line, rest, _ := strings.Cut(b, "\r\n")
		size := 0
		fmt.Sscanf(line, "%x", &size)
		if size == 0 {
			return out, b
		}
		n := len(line) + 2 + size + 2
		out, b = append(out, b[:n]), b[n:]
		_ = rest
	}
}

func swapChunks(b string) string {
	c, rest := chunks(b)
	return c[1] + c[0] + strings.Join(c[2:], "") + rest
}

func dropSecondChunk(b string) string {
	c, rest := chunks(b)
	return c[0] + strings.Join(c[2:], "") + rest
}

// flipSignature changes the last hex digit of the signature after the
// skip+1-th occurrence of marker.
func flipSignature(b, marker string, skip int) string {
	i := 0
	for range skip + 1 {
		i += strings.Index(b[i:], marker) + len(marker)
	}
	d := b[i+63]
	if d == '0' {
		d = '1'
	} else {
		d = '0'
	}
	return b[:i+63] + string(d) + b[i+64:]
}

func changeChecksum(b string) string {
	i := strings.Index(b, "x-amz-checksum-crc32c:") + len("x-amz-checksum-crc32c:")
	return b[:i] + "AAAAAA==" + b[i+8:]
}

func dropLine(prefix string) func(string) string {
	return func(b string) string {
		i := strings.Index(b, prefix)
		j := strings.Index(b[i:], "\r\n")
		return b[:i] + b[i+j+2:]
	}
}

func TestChunkedTruncatedEverywhere(t *testing.T) {
	data := pattern(100)
	for _, mode := range []PayloadMode{PayloadStreamingSigned, PayloadStreamingUnsignedTrailer, PayloadStreamingSignedTrailer} {
		req := streamingRequest(t, streamSpec{mode: mode, data: data, chunkSize: 30, alg: trailerAlg(mode)})
		full, _ := io.ReadAll(req.Body)
		for cut := range len(full) {
			req.Body = nopBody(full[:cut])
			_, _, err := decode(t, req, identity)
			if err == nil {
				t.Fatalf("%s: body cut at %d of %d accepted", mode, cut, len(full))
			}
			if code := objstore.AsError(err).Code; code != "IncompleteBody" {
				t.Fatalf("%s: body cut at %d of %d: %v, want IncompleteBody", mode, cut, len(full), err)
			}
		}
	}
}

func TestChunkedDecodedLength(t *testing.T) {
	for name, declared := range map[string]string{"fewer declared": "99", "more declared": "101"} {
		t.Run(name, func(t *testing.T) {
			req := streamingRequest(t, streamSpec{mode: PayloadStreamingUnsignedTrailer, data: pattern(100), chunkSize: 30})
			auth, err := verifierAt(signTime).Verify(req)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Amz-Decoded-Content-Length", declared)
			body, err := auth.Body(req)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(body)
			wantCode(t, err, "IncompleteBody")
		})
	}
}

func TestChunkedBodyHeaders(t *testing.T) {
	cases := map[string]struct {
		mode             PayloadMode
		decoded, trailer string
		code             string
	}{
		"no decoded length":            {PayloadStreamingSigned, "", "", "MissingContentLength"},
		"negative decoded length":      {PayloadStreamingSigned, "-1", "", "InvalidArgument"},
		"unknown trailer":              {PayloadStreamingUnsignedTrailer, "1", "x-amz-meta-foo", "InvalidArgument"},
		"unknown checksum":             {PayloadStreamingUnsignedTrailer, "1", "x-amz-checksum-md5", "InvalidArgument"},
		"trailer without trailer mode": {PayloadStreamingSigned, "1", "x-amz-checksum-crc32", "InvalidArgument"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, "PUT", "http://h/b/k", []byte("x"))
			req.Header.Set("X-Amz-Decoded-Content-Length", tc.decoded)
			req.Header.Set("X-Amz-Trailer", tc.trailer)
			a := &Auth{Payload: tc.mode, Time: signTime, Region: "us-east-1"}
			_, err := a.Body(req)
			wantCode(t, err, tc.code)
		})
	}
}

// An attacker-given chunk size never makes the decoder allocate it or
// wait for it.
func TestChunkedHugeSizes(t *testing.T) {
	sig := ";chunk-signature=" + emptySHA256
	cases := []struct {
		name, body string
		mode       PayloadMode
		code       string
	}{
		{"signed chunk over the limit", "1000001" + sig + "\r\nabc", PayloadStreamingSigned, "InvalidRequest"},
		{"signed chunk at the limit, short", "1000000" + sig + "\r\nabc", PayloadStreamingSigned, "IncompleteBody"},
		{"unsigned chunk of 2^62, short", "4000000000000000\r\nabc", PayloadStreamingUnsignedTrailer, "IncompleteBody"},
		{"unsigned chunk over 2^62", "4000000000000001\r\nabc", PayloadStreamingUnsignedTrailer, "InvalidRequest"},
		{"17 hex digits", "00000000000000001\r\na\r\n", PayloadStreamingUnsignedTrailer, "InvalidRequest"},
		{"long line", strings.Repeat("0", 5000) + "\r\n", PayloadStreamingUnsignedTrailer, "InvalidRequest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := &Auth{Payload: tc.mode, Time: signTime, Region: "us-east-1", Signature: emptySHA256, SigningKey: []byte("k")}
			c, err := NewChunkedReader(strings.NewReader(tc.body), a, -1, "")
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(c)
			wantCode(t, err, tc.code)
		})
	}
}

func TestChunkedReadErrorPassesThrough(t *testing.T) {
	boom := errors.New("connection reset")
	a := &Auth{Payload: PayloadStreamingUnsignedTrailer}
	c, err := NewChunkedReader(io.MultiReader(strings.NewReader("a\r\n01234"), iotest.ErrReader(boom)), a, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(c); !errors.Is(err, boom) {
		t.Fatalf("read error %v, want the connection's", err)
	}
}

func TestTrimAWSChunked(t *testing.T) {
	for in, want := range map[string]string{
		"aws-chunked":        "",
		"aws-chunked,gzip":   "gzip",
		"gzip, aws-chunked":  "gzip",
		"gzip,br":            "gzip,br",
		"AWS-Chunked , gzip": "gzip",
		"":                   "",
	} {
		if got := TrimAWSChunked(in); got != want {
			t.Errorf("TrimAWSChunked(%q) = %q, want %q", in, got, want)
		}
	}
}
