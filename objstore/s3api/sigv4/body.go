package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// Body is a request body decoded as its payload mode says: aws-chunked
// framing removed, chunk signatures, the declared SHA-256 and the trailing
// checksum checked. Read it to io.EOF: the checks that need the whole body
// fail the last Read, and then the data read must be discarded.
type Body struct {
	r       io.Reader
	size    int64
	chunked *ChunkedReader
}

// Body decodes r's body for this authentication. Streaming modes need
// x-amz-decoded-content-length (objstore.ErrMissingContentLength without
// it) and may name a trailing checksum in x-amz-trailer.
func (a *Auth) Body(r *http.Request) (*Body, error) {
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	switch {
	case a.Payload == PayloadSigned:
		return &Body{r: newSHA256Reader(body, a.ContentSHA256), size: r.ContentLength}, nil
	case !a.Payload.Streaming():
		return &Body{r: body, size: r.ContentLength}, nil
	}
	size, err := decodedLength(r.Header.Get("X-Amz-Decoded-Content-Length"))
	if err != nil {
		return nil, err
	}
	trailer, err := parseTrailerHeader(r.Header.Get("X-Amz-Trailer"))
	if err != nil {
		return nil, err
	}
	c, err := NewChunkedReader(body, a, size, trailer)
	if err != nil {
		return nil, err
	}
	return &Body{r: c, size: size, chunked: c}, nil
}

// Read reads decoded bytes of the body.
func (b *Body) Read(p []byte) (int, error) { return b.r.Read(p) }

// Size is the decoded length of the body, or -1 when unknown.
func (b *Body) Size() int64 { return b.size }

// TrailerAlgorithm is the algorithm of the trailing checksum that
// x-amz-trailer announced, known before the body is read (so a store can
// compute it while storing); "" when none was announced.
func (b *Body) TrailerAlgorithm() objstore.ChecksumAlgorithm {
	if b.chunked == nil {
		return ""
	}
	return b.chunked.alg
}

// Checksum is the trailing checksum the body carried, verified, once
// Read has returned io.EOF; nil before, or when none was sent.
func (b *Body) Checksum() *objstore.Checksum {
	if b.chunked == nil {
		return nil
	}
	return b.chunked.Checksum()
}

// TrimAWSChunked removes the aws-chunked coding from a Content-Encoding
// value: S3 stores an object's Content-Encoding without it.
func TrimAWSChunked(contentEncoding string) string {
	var kept []string
	for c := range strings.SplitSeq(contentEncoding, ",") {
		if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
			kept = append(kept, c)
		}
	}
	return strings.Join(kept, ",")
}

// decodedLength parses x-amz-decoded-content-length.
func decodedLength(s string) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("x-amz-decoded-content-length missing: %w", objstore.ErrMissingContentLength)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("x-amz-decoded-content-length %.40q: %w", s, objstore.ErrInvalidArgument)
	}
	return n, nil
}

// parseTrailerHeader reads x-amz-trailer: empty, or the name of one
// x-amz-checksum-* header.
func parseTrailerHeader(v string) (objstore.ChecksumAlgorithm, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	name, ok := strings.CutPrefix(strings.ToLower(v), checksumPrefix)
	if !ok {
		return "", fmt.Errorf("x-amz-trailer %.80q: %w", v, ErrUnsupportedTrailer)
	}
	alg, err := objstore.ParseChecksumAlgorithm(name)
	if err != nil {
		return "", fmt.Errorf("x-amz-trailer %.80q: %w", v, ErrUnsupportedTrailer)
	}
	return alg, nil
}

// checksumPrefix begins the name of every checksum header.
const checksumPrefix = "x-amz-checksum-"

// sha256Reader passes a body through and fails its end when the body's
// SHA-256 is not the declared one.
type sha256Reader struct {
	r    io.Reader
	h    hash.Hash
	want string
	err  error
}

func newSHA256Reader(r io.Reader, wantHex string) *sha256Reader {
	return &sha256Reader{r: r, h: sha256.New(), want: strings.ToLower(wantHex)}
}

func (s *sha256Reader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	s.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(s.h.Sum(nil)); got != s.want {
			err = fmt.Errorf("body sha256 %s, x-amz-content-sha256 %s: %w", got, s.want, ErrContentSHA256Mismatch)
		}
	}
	if err != nil {
		s.err = err
	}
	return n, err
}
