package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// Limits of the aws-chunked decoder.
const (
	// MaxChunkSize is the largest signed chunk: it is held in memory until
	// its signature is checked.
	MaxChunkSize = 16 << 20
	// maxLineLength bounds a chunk header or trailer line, CRLF included.
	maxLineLength = 4 << 10
	// maxTrailerLines bounds the lines of a trailer.
	maxTrailerLines = 8
	// maxUnsignedChunk bounds the size an unsigned chunk header may declare.
	maxUnsignedChunk = 1 << 62
)

const trailerSignatureName = "x-amz-trailer-signature"

// ChunkedReader decodes an aws-chunked body (the Streaming payload modes):
// it strips the framing, checks each chunk signature against the chain that
// starts at the request's seed signature, checks the decoded length and
// the trailer, and computes the trailing checksum. It returns io.EOF only
// when all of that held; any failure is sticky.
type ChunkedReader struct {
	br       *bufio.Reader
	mode     PayloadMode
	key      []byte
	amzDate  string
	scope    string
	prevSig  string
	alg      objstore.ChecksumAlgorithm
	sum      hash.Hash
	declared int64 // decoded length, -1 when unknown
	total    int64 // decoded bytes the chunk headers announced so far
	chunks   int
	buf      bytes.Buffer // a verified signed chunk, not yet read
	left     int64        // bytes of the current unsigned chunk not yet read
	checksum *objstore.Checksum
	err      error
}

// NewChunkedReader decodes body, sent under a (whose Payload must be a
// Streaming mode). decodedLength is x-amz-decoded-content-length, or -1
// when unknown. trailer is the checksum x-amz-trailer names, or "".
func NewChunkedReader(body io.Reader, a *Auth, decodedLength int64, trailer objstore.ChecksumAlgorithm) (*ChunkedReader, error) {
	if !a.Payload.Streaming() {
		return nil, fmt.Errorf("payload %s is not aws-chunked: %w", a.Payload, objstore.ErrInvalidRequest)
	}
	if trailer != "" && !a.Payload.hasTrailer() {
		return nil, fmt.Errorf("x-amz-trailer with payload %s: %w", a.Payload, ErrUnsupportedTrailer)
	}
	c := &ChunkedReader{
		br: bufio.NewReaderSize(body, maxLineLength), mode: a.Payload,
		key: a.SigningKey, amzDate: a.Time.UTC().Format(timeFormat), scope: a.scope(), prevSig: a.Signature,
		alg: trailer, declared: decodedLength,
	}
	if trailer != "" {
		h, err := trailer.NewHash()
		if err != nil {
			return nil, fmt.Errorf("x-amz-trailer: %w", err)
		}
		c.sum = h
	}
	return c, nil
}

// Read reads decoded bytes.
func (c *ChunkedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		switch {
		case c.buf.Len() > 0:
			return c.buf.Read(p)
		case c.left > 0:
			return c.readUnsigned(p)
		case c.err != nil:
			return 0, c.err
		}
		c.err = c.next()
	}
}

// Checksum is the trailing checksum, verified, once Read returned io.EOF;
// nil before, or when x-amz-trailer named none.
func (c *ChunkedReader) Checksum() *objstore.Checksum { return c.checksum }

// readUnsigned passes on bytes of the current unsigned chunk.
func (c *ChunkedReader) readUnsigned(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	c.hashData(p[:n])
	if err == nil && c.left == 0 {
		err = c.expectCRLF()
	}
	if err != nil {
		c.err = c.readError(fmt.Sprintf("chunk %d data", c.chunks), err)
		return n, c.err
	}
	return n, nil
}

// next reads the next chunk header and, for signed chunks, the chunk,
// which it verifies. After the last chunk it reads the trailer and returns
// io.EOF when the whole body checked out.
func (c *ChunkedReader) next() error {
	c.chunks++
	line, err := c.readLine()
	if err != nil {
		return c.readError(fmt.Sprintf("chunk %d header", c.chunks), err)
	}
	size, sig, err := c.parseHeader(line)
	if err != nil {
		return fmt.Errorf("chunk %d header %.100q: %w", c.chunks, line, err)
	}
	if c.declared >= 0 && size > c.declared-c.total {
		return fmt.Errorf("chunk %d of %d bytes after %d: %w", c.chunks, size, c.total,
			withMessage(objstore.ErrIncompleteBody, "The chunks hold more bytes than x-amz-decoded-content-length declares."))
	}
	c.total += size
	if c.mode.signedChunks() {
		if err := c.readSigned(size, sig); err != nil {
			return err
		}
	} else {
		c.left = size
	}
	if size == 0 {
		return c.finish()
	}
	return nil
}

// parseHeader parses "hex-size" or, for signed chunks,
// "hex-size;chunk-signature=hex".
func (c *ChunkedReader) parseHeader(line string) (size int64, sig string, err error) {
	sizeHex, ext, hasExt := strings.Cut(line, ";")
	if len(sizeHex) == 0 || len(sizeHex) > 16 || strings.Trim(sizeHex, "0123456789abcdefABCDEF") != "" {
		return 0, "", withMessage(ErrMalformedChunk, "The chunk size is not a hex number.")
	}
	size, err = strconv.ParseInt(sizeHex, 16, 64)
	limit := int64(maxUnsignedChunk)
	if c.mode.signedChunks() {
		limit = MaxChunkSize
	}
	if err != nil || size > limit {
		return 0, "", withMessage(ErrMalformedChunk, "The chunk size exceeds %d bytes.", limit)
	}
	if !c.mode.signedChunks() {
		return size, "", nil
	}
	sig, ok := strings.CutPrefix(ext, "chunk-signature=")
	if !hasExt || !ok {
		return 0, "", withMessage(ErrMalformedChunk, "The chunk has no chunk-signature.")
	}
	if !isSignature(sig) {
		return 0, "", withMessage(ErrMalformedChunk, "The chunk-signature is not 64 lower-case hex digits.")
	}
	return size, sig, nil
}

// readSigned reads a signed chunk of size bytes into c.buf and checks its
// signature; the buffer grows only as bytes arrive.
func (c *ChunkedReader) readSigned(size int64, sig string) error {
	c.buf.Reset()
	if _, err := io.CopyN(&c.buf, c.br, size); err != nil {
		c.buf.Reset()
		return c.readError(fmt.Sprintf("chunk %d data", c.chunks), err)
	}
	if size > 0 {
		if err := c.expectCRLF(); err != nil {
			c.buf.Reset()
			return c.readError(fmt.Sprintf("chunk %d data", c.chunks), err)
		}
	}
	sum := sha256.Sum256(c.buf.Bytes())
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + c.amzDate + "\n" + c.scope + "\n" + c.prevSig + "\n" +
		emptySHA256 + "\n" + hex.EncodeToString(sum[:])
	if !sameSignature(signHex(c.key, sts), sig) {
		c.buf.Reset()
		return fmt.Errorf("chunk %d signature: %w", c.chunks, ErrSignatureDoesNotMatch)
	}
	c.prevSig = sig
	c.hashData(c.buf.Bytes())
	return nil
}

// finish reads what follows the last chunk and checks the whole body.
func (c *ChunkedReader) finish() error {
	if c.declared >= 0 && c.total != c.declared {
		return fmt.Errorf("%d bytes of x-amz-decoded-content-length %d: %w", c.total, c.declared, objstore.ErrIncompleteBody)
	}
	if err := c.readTrailer(); err != nil {
		return err
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		if err == nil {
			return withMessage(ErrMalformedChunk, "Data follows the final chunk.")
		}
		return fmt.Errorf("after the final chunk: %w", err)
	}
	if c.sum != nil {
		c.checksum = &objstore.Checksum{Algorithm: c.alg, Value: objstore.EncodeChecksum(c.sum.Sum(nil)), Type: objstore.ChecksumTypeFullObject}
	}
	return io.EOF
}

func (c *ChunkedReader) hashData(p []byte) {
	if c.sum != nil {
		c.sum.Write(p)
	}
}

// readLine reads one CRLF-terminated line without its CRLF. It returns
// io.EOF when the body ends before the line begins.
func (c *ChunkedReader) readLine() (string, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", withMessage(ErrMalformedChunk, "A line of the aws-chunked body is longer than %d bytes.", maxLineLength)
	case err == io.EOF && len(line) == 0:
		return "", io.EOF
	case err == io.EOF:
		return "", io.ErrUnexpectedEOF
	case err != nil:
		return "", err
	case len(line) < 2 || line[len(line)-2] != '\r':
		return "", withMessage(ErrMalformedChunk, "A line of the aws-chunked body does not end in CRLF.")
	}
	return string(line[:len(line)-2]), nil
}

// expectCRLF reads the CRLF that ends chunk data.
func (c *ChunkedReader) expectCRLF() error {
	var crlf [2]byte
	if _, err := io.ReadFull(c.br, crlf[:]); err != nil {
		return err
	}
	if crlf != [2]byte{'\r', '\n'} {
		return withMessage(ErrMalformedChunk, "Chunk data is not followed by CRLF.")
	}
	return nil
}

// readError wraps a failure to read part of the body: a body that ends
// early is IncompleteBody.
func (c *ChunkedReader) readError(what string, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: body ends early: %w", what, objstore.ErrIncompleteBody)
	}
	return fmt.Errorf("%s: %w", what, err)
}
