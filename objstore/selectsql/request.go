package selectsql

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql/input"
)

// Request is the body of SelectObjectContent.
type Request struct {
	XMLName         xml.Name `xml:"SelectObjectContentRequest"`
	Expression      string
	ExpressionType  string
	RequestProgress struct {
		Enabled bool
	}
	InputSerialization  InputSerialization
	OutputSerialization OutputSerialization
	ScanRange           *ScanRange
}

// InputSerialization says how the object is encoded.
type InputSerialization struct {
	CompressionType string
	CSV             *CSVInput
	JSON            *JSONInput
	Parquet         *struct{}
}

// CSVInput is the CSV input format.
type CSVInput struct {
	FileHeaderInfo             string
	Comments                   string
	QuoteEscapeCharacter       string
	RecordDelimiter            string
	FieldDelimiter             string
	QuoteCharacter             string
	AllowQuotedRecordDelimiter bool
}

// JSONInput is the JSON input format: Type DOCUMENT or LINES.
type JSONInput struct {
	Type string
}

// OutputSerialization says how records are returned.
type OutputSerialization struct {
	CSV  *CSVOutput
	JSON *JSONOutput
}

// CSVOutput is the CSV output format.
type CSVOutput struct {
	QuoteFields          string
	QuoteEscapeCharacter string
	RecordDelimiter      string
	FieldDelimiter       string
	QuoteCharacter       string
}

// JSONOutput is the JSON output format.
type JSONOutput struct {
	RecordDelimiter string
}

// ScanRange limits the scan to the records that start within
// [Start, End] of an uncompressed CSV object.
type ScanRange struct {
	Start *int64
	End   *int64
}

// requestError is a 400 with an S3 Select code.
func requestError(code, format string, args ...any) error {
	return &objstore.Error{Code: code, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// Validate checks the request and fills S3's defaults.
func (r *Request) Validate() error {
	if strings.TrimSpace(r.Expression) == "" {
		return requestError("MissingRequiredParameter", "The request is missing the Expression.")
	}
	if !strings.EqualFold(r.ExpressionType, "SQL") {
		return requestError("InvalidExpressionType", "The ExpressionType %q is not valid; only SQL is supported.", r.ExpressionType)
	}
	if err := r.InputSerialization.validate(); err != nil {
		return err
	}
	if err := r.OutputSerialization.validate(); err != nil {
		return err
	}
	return r.validateScanRange()
}

func (in *InputSerialization) validate() error {
	n := 0
	for _, set := range []bool{in.CSV != nil, in.JSON != nil, in.Parquet != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return requestError("ObjectSerializationConflict", "InputSerialization must name exactly one of CSV, JSON or Parquet.")
	}
	in.CompressionType = strings.ToUpper(in.CompressionType)
	switch in.CompressionType {
	case "":
		in.CompressionType = "NONE"
	case "NONE", "GZIP", "BZIP2":
	default:
		return requestError("InvalidCompressionFormat", "The CompressionType %q is not valid: use NONE, GZIP or BZIP2.", in.CompressionType)
	}
	if in.Parquet != nil && in.CompressionType != "NONE" {
		return requestError("InvalidCompressionFormat", "Parquet input takes CompressionType NONE: it compresses its own pages.")
	}
	if in.CSV != nil {
		return in.CSV.validate()
	}
	if in.JSON != nil {
		in.JSON.Type = strings.ToUpper(in.JSON.Type)
		if in.JSON.Type != "DOCUMENT" && in.JSON.Type != "LINES" {
			return requestError("InvalidJsonType", "The JSON Type %q is not valid: use DOCUMENT or LINES.", in.JSON.Type)
		}
	}
	return nil
}

func (c *CSVInput) validate() error {
	switch strings.ToUpper(c.FileHeaderInfo) {
	case "", "USE", "IGNORE", "NONE":
	default:
		return requestError("InvalidFileHeaderInfo", "The FileHeaderInfo %q is not valid: use USE, IGNORE or NONE.", c.FileHeaderInfo)
	}
	if len(c.QuoteCharacter) > 1 || len(c.QuoteEscapeCharacter) > 1 {
		return requestError("InvalidQuoteCharacter", "QuoteCharacter and QuoteEscapeCharacter must be one character.")
	}
	if len(c.Comments) > 1 {
		return requestError("InvalidRequestParameter", "Comments must be one character.")
	}
	if len(c.FieldDelimiter) > 2 || len(c.RecordDelimiter) > 2 {
		return requestError("InvalidRequestParameter", "FieldDelimiter and RecordDelimiter must be one or two characters.")
	}
	return nil
}

// options returns the reader settings of a CSV input.
func (c *CSVInput) options() input.CSVOptions {
	return input.CSVOptions{
		FileHeaderInfo: c.FileHeaderInfo, FieldDelimiter: c.FieldDelimiter,
		RecordDelimiter: c.RecordDelimiter, QuoteCharacter: c.QuoteCharacter,
		QuoteEscapeCharacter: c.QuoteEscapeCharacter, Comments: c.Comments,
		AllowQuotedRecordDelimiter: c.AllowQuotedRecordDelimiter,
	}.WithDefaults()
}

func (out *OutputSerialization) validate() error {
	if (out.CSV == nil) == (out.JSON == nil) {
		return requestError("ObjectSerializationConflict", "OutputSerialization must name exactly one of CSV or JSON.")
	}
	if c := out.CSV; c != nil {
		switch strings.ToUpper(c.QuoteFields) {
		case "", "ASNEEDED", "ALWAYS":
		default:
			return requestError("InvalidQuoteFields", "The QuoteFields %q is not valid: use ALWAYS or ASNEEDED.", c.QuoteFields)
		}
		if len(c.QuoteCharacter) > 1 || len(c.QuoteEscapeCharacter) > 1 {
			return requestError("InvalidQuoteCharacter", "QuoteCharacter and QuoteEscapeCharacter must be one character.")
		}
	}
	return nil
}

func (r *Request) validateScanRange() error {
	sr := r.ScanRange
	if sr == nil {
		return nil
	}
	if sr.Start != nil && *sr.Start < 0 || sr.End != nil && *sr.End < 0 ||
		sr.Start != nil && sr.End != nil && *sr.End < *sr.Start {
		return requestError("InvalidScanRange", "The ScanRange is not valid: Start and End must be non-negative with Start <= End.")
	}
	in := r.InputSerialization
	if in.CompressionType != "NONE" || in.CSV == nil || in.CSV.AllowQuotedRecordDelimiter {
		return requestError("UnsupportedScanRangeInput", "ScanRange works on uncompressed CSV without quoted record delimiters only.")
	}
	return nil
}
