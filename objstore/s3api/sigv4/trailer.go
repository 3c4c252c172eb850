package sigv4

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// trailerField is one "name:value" line of a trailer.
type trailerField struct{ name, value string }

// readTrailer reads what follows the zero-length chunk: a lone CRLF, or
// trailer lines ending in a blank line. It checks the trailer signature
// and the trailing checksum.
func (c *ChunkedReader) readTrailer() error {
	if !c.mode.hasTrailer() {
		line, err := c.readLine()
		if err != nil {
			return c.readError("end of body", err)
		}
		if line != "" {
			return withMessage(ErrMalformedChunk, "The final chunk is not followed by CRLF.")
		}
		return nil
	}
	fields, sig, err := c.readTrailerFields()
	if err != nil {
		return err
	}
	if c.mode == PayloadStreamingSignedTrailer {
		if err := c.checkTrailerSignature(fields, sig); err != nil {
			return err
		}
	}
	return c.checkChecksum(fields)
}

// readTrailerFields reads trailer lines up to the blank line that ends
// them. It accepts a blank line before the first field, as the AWS
// documentation's example has.
func (c *ChunkedReader) readTrailerFields() (fields []trailerField, sig string, err error) {
	for i := 0; ; i++ {
		line, err := c.readLine()
		switch {
		case err == io.EOF && i == 1 && len(fields)+len(sig) == 0:
			// "0\r\n\r\n" where a trailer was declared: it is missing.
			return nil, "", nil
		case err != nil:
			return nil, "", c.readError("trailer", err)
		case line == "" && i == 0 && c.alg != "":
			continue
		case line == "":
			return fields, sig, nil
		case i > maxTrailerLines:
			return nil, "", withMessage(ErrMalformedTrailer, "The trailer has more than %d lines.", maxTrailerLines)
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		switch {
		case !ok:
			return nil, "", fmt.Errorf("trailer line %.100q: %w", line, ErrMalformedTrailer)
		case name == trailerSignatureName && c.mode == PayloadStreamingSignedTrailer && sig == "":
			sig = value
		case c.alg != "" && name == c.checksumName() && len(fields) == 0:
			fields = append(fields, trailerField{name, value})
		default:
			return nil, "", fmt.Errorf("unexpected trailer %.100q: %w", name, ErrMalformedTrailer)
		}
	}
}

// checksumName is the trailer name of the declared checksum.
func (c *ChunkedReader) checksumName() string {
	return checksumPrefix + strings.ToLower(string(c.alg))
}

// checkTrailerSignature checks x-amz-trailer-signature, chained to the
// signature of the final chunk.
func (c *ChunkedReader) checkTrailerSignature(fields []trailerField, sig string) error {
	if sig == "" {
		return withMessage(ErrMalformedTrailer, "The trailer has no x-amz-trailer-signature.")
	}
	var canon strings.Builder
	for _, f := range fields {
		canon.WriteString(f.name + ":" + f.value + "\n")
	}
	sts := "AWS4-HMAC-SHA256-TRAILER\n" + c.amzDate + "\n" + c.scope + "\n" + c.prevSig + "\n" +
		hashHex([]byte(canon.String()))
	if !sameSignature(signHex(c.key, sts), sig) {
		return fmt.Errorf("trailer signature: %w", ErrSignatureDoesNotMatch)
	}
	return nil
}

// checkChecksum compares the trailing checksum with the computed one.
func (c *ChunkedReader) checkChecksum(fields []trailerField) error {
	if c.alg == "" {
		return nil
	}
	if len(fields) == 0 {
		return withMessage(ErrMalformedTrailer, "The trailer has no %s.", c.checksumName())
	}
	sent, err := base64.StdEncoding.DecodeString(fields[0].value)
	if err != nil {
		return fmt.Errorf("trailer %s %.100q: %w", fields[0].name, fields[0].value, objstore.ErrInvalidDigest)
	}
	if got := c.sum.Sum(nil); !bytes.Equal(got, sent) {
		return fmt.Errorf("trailer %s %s, body %s: %w", fields[0].name, fields[0].value, objstore.EncodeChecksum(got),
			withMessage(objstore.ErrBadDigest, "The %s you specified did not match the calculated checksum.", c.alg))
	}
	return nil
}
