package lifecycle

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
)

// s3NS is the XML namespace of S3's documents.
const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// Parse reads a LifecycleConfiguration document and validates it with
// S3's rules. Its errors are S3 error conditions (MalformedXML,
// InvalidArgument, InvalidRequest) carrying S3's message.
func Parse(data []byte) (*Configuration, error) {
	var c Configuration
	if err := xml.Unmarshal(data, &c); err != nil {
		return nil, malformed("decode lifecycle configuration: %v", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Marshal encodes the configuration as the document GetBucketLifecycle
// answers with.
func (c *Configuration) Marshal() ([]byte, error) {
	out := *c
	out.NS = s3NS
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(&out); err != nil {
		return nil, fmt.Errorf("encode lifecycle configuration: %w", err)
	}
	return b.Bytes(), nil
}

// s3Error is an S3 error condition with a message of its own. errors.Is
// matches it with the objstore condition of the same code.
func s3Error(code string, format string, args ...any) error {
	return &objstore.Error{Code: code, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func malformed(format string, args ...any) error {
	return s3Error(objstore.ErrMalformedXML.Code, format, args...)
}

func invalidArgument(format string, args ...any) error {
	return s3Error(objstore.ErrInvalidArgument.Code, format, args...)
}

func invalidRequest(format string, args ...any) error {
	return s3Error(objstore.ErrInvalidRequest.Code, format, args...)
}
