package input

import (
	"errors"
	"io"
	"strings"

	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// CSVOptions are the CSV input settings of a request, defaults filled.
type CSVOptions struct {
	// FileHeaderInfo is USE, IGNORE or NONE.
	FileHeaderInfo  string
	FieldDelimiter  string
	RecordDelimiter string
	QuoteCharacter  string
	// QuoteEscapeCharacter escapes a quote inside a quoted field.
	QuoteEscapeCharacter string
	// Comments starts a line to skip; "" for none.
	Comments string
	// AllowQuotedRecordDelimiter lets a quoted field span records.
	AllowQuotedRecordDelimiter bool
}

// WithDefaults fills the settings left empty with S3's defaults.
func (o CSVOptions) WithDefaults() CSVOptions {
	if o.FileHeaderInfo == "" {
		o.FileHeaderInfo = "NONE"
	}
	o.FileHeaderInfo = strings.ToUpper(o.FileHeaderInfo)
	if o.FieldDelimiter == "" {
		o.FieldDelimiter = ","
	}
	if o.RecordDelimiter == "" {
		o.RecordDelimiter = "\n"
	}
	if o.QuoteCharacter == "" {
		o.QuoteCharacter = `"`
	}
	if o.QuoteEscapeCharacter == "" {
		o.QuoteEscapeCharacter = o.QuoteCharacter
	}
	return o
}

// CSV reads records from a CSV stream.
type CSV struct {
	lines   lineReader
	opts    CSVOptions
	fd, rd  []byte
	quote   byte
	escape  byte
	header  *Header
	scratch []byte
	starts  []int
	rec     csvRecord
}

// NewCSV reads r with opts (defaults already filled). With FileHeaderInfo
// USE the first record names the columns; with IGNORE it is skipped.
func NewCSV(r io.Reader, opts CSVOptions) (*CSV, error) {
	c := &CSV{
		lines: lineReader{r: r, rd: opts.RecordDelimiter, quote: opts.QuoteCharacter[0], nextQuote: -1}, opts: opts,
		fd: []byte(opts.FieldDelimiter), rd: []byte(opts.RecordDelimiter),
		quote: opts.QuoteCharacter[0], escape: opts.QuoteEscapeCharacter[0],
	}
	c.rec.fd = opts.FieldDelimiter
	if opts.FileHeaderInfo == "USE" || opts.FileHeaderInfo == "IGNORE" {
		err := c.read()
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if opts.FileHeaderInfo == "USE" {
			var names []string
			if err == nil {
				names = append(names, c.rec.all()...)
			}
			c.header = NewHeader(names)
		}
	}
	c.rec.header = c.header
	return c, nil
}

// Header is the header of a file read with FileHeaderInfo USE, else nil.
func (c *CSV) Header() *Header { return c.header }

// SetHeader names the columns by a header read elsewhere (the start of
// an object whose scan range starts later).
func (c *CSV) SetHeader(h *Header) {
	c.header = h
	c.rec.header = h
}

// Consumed is the number of input bytes read through the last record.
func (c *CSV) Consumed() int64 { return c.lines.consumed }

// SkipPartial drops the input up to and including the first record
// delimiter: what a scan range starting mid-record begins with.
func (c *CSV) SkipPartial() error {
	_, err := c.lines.next()
	return err
}

// Next returns the next record.
func (c *CSV) Next() (sql.Record, error) {
	if err := c.read(); err != nil {
		return nil, err
	}
	return &c.rec, nil
}

// read reads the next record into c.rec, skipping blank and comment
// lines. A record without quotes is split into fields only as far as
// the query asks for them.
func (c *CSV) read() error {
	for {
		line, err := c.lines.next()
		if err != nil {
			return err
		}
		trimmed := c.trimCR(line)
		if trimmed == "" || c.opts.Comments != "" && strings.HasPrefix(line, c.opts.Comments) {
			continue
		}
		if !c.lines.quoted() {
			c.rec.reset(trimmed)
			return nil
		}
		if fields, ok := c.parseInline(trimmed); ok {
			c.rec.setFields(fields)
			return nil
		}
		fields, err := c.parseQuoted(line)
		if err != nil {
			return err
		}
		c.rec.setFields(fields)
		return nil
	}
}

// crlf tells whether records end at \n, so that a \r before it goes too.
func (c *CSV) crlf() bool { return len(c.rd) == 1 && c.rd[0] == '\n' }

// trimCR drops the \r of a \r\n line end when records end at \n.
func (c *CSV) trimCR(line string) string {
	if c.crlf() {
		return strings.TrimSuffix(line, "\r")
	}
	return line
}

// trimCRBytes is trimCR of bytes.
func (c *CSV) trimCRBytes(line []byte) []byte {
	if c.crlf() && len(line) > 0 && line[len(line)-1] == '\r' {
		return line[:len(line)-1]
	}
	return line
}
