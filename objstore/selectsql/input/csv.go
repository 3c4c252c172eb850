package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
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
	br      *bufio.Reader
	opts    CSVOptions
	fd, rd  []byte
	quote   byte
	escape  byte
	header  *Header
	line    []byte
	scratch []byte
	starts  []int
	rec     csvRecord
	// consumed counts the bytes read up to the end of the last record.
	consumed int64
}

// NewCSV reads r with opts (defaults already filled). With FileHeaderInfo
// USE the first record names the columns; with IGNORE it is skipped.
func NewCSV(r io.Reader, opts CSVOptions) (*CSV, error) {
	c := &CSV{
		br: bufio.NewReaderSize(r, 256<<10), opts: opts,
		fd: []byte(opts.FieldDelimiter), rd: []byte(opts.RecordDelimiter),
		quote: opts.QuoteCharacter[0], escape: opts.QuoteEscapeCharacter[0],
	}
	if opts.FileHeaderInfo == "USE" || opts.FileHeaderInfo == "IGNORE" {
		fields, err := c.read()
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if opts.FileHeaderInfo == "USE" {
			c.header = NewHeader(append([]string(nil), fields...))
		}
	}
	c.rec.header = c.header
	return c, nil
}

// Consumed is the number of input bytes read through the last record.
func (c *CSV) Consumed() int64 { return c.consumed }

// SkipPartial drops the input up to and including the first record
// delimiter: what a scan range starting mid-record begins with.
func (c *CSV) SkipPartial() error {
	_, err := c.readLine()
	return err
}

// Next returns the next record.
func (c *CSV) Next() (sql.Record, error) {
	c.rec.raw = ""
	fields, err := c.read()
	if err != nil {
		return nil, err
	}
	c.rec.fields = fields
	return &c.rec, nil
}

// read parses the next record into fields, skipping blank and comment
// lines.
func (c *CSV) read() ([]string, error) {
	for {
		line, err := c.readLine()
		if err != nil {
			return nil, err
		}
		if len(c.trimCR(line)) == 0 || c.opts.Comments != "" && bytes.HasPrefix(line, []byte(c.opts.Comments)) {
			continue
		}
		if bytes.IndexByte(line, c.quote) < 0 {
			return c.split(c.trimCR(line)), nil
		}
		return c.parseQuoted(line)
	}
}

// readLine returns the bytes up to the next record delimiter (without
// it), or io.EOF when the input is done.
func (c *CSV) readLine() ([]byte, error) {
	c.line = c.line[:0]
	last := c.rd[len(c.rd)-1]
	for {
		chunk, err := c.br.ReadSlice(last)
		c.consumed += int64(len(chunk))
		c.line = append(c.line, chunk...)
		if len(c.line) > MaxRecordSize {
			return nil, errorf("OverMaxRecordSize", "A record of the CSV input is over %d bytes.", MaxRecordSize)
		}
		switch {
		case err == nil && bytes.HasSuffix(c.line, c.rd):
			return c.line[:len(c.line)-len(c.rd)], nil
		case err == nil || errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(c.line) > 0:
			return c.line, nil
		case errors.Is(err, io.EOF):
			return nil, io.EOF
		}
		return nil, fmt.Errorf("read CSV input: %w", err)
	}
}

// trimCR drops the \r of a \r\n line end when records end at \n.
func (c *CSV) trimCR(line []byte) []byte {
	if len(c.rd) == 1 && c.rd[0] == '\n' && len(line) > 0 && line[len(line)-1] == '\r' {
		return line[:len(line)-1]
	}
	return line
}

// split cuts a line without quotes at its field delimiters, into
// substrings of one string.
func (c *CSV) split(line []byte) []string {
	s := string(line)
	c.rec.raw = s
	fields := c.rec.fields[:0]
	if len(c.fd) == 1 {
		d := c.fd[0]
		for {
			i := strings.IndexByte(s, d)
			if i < 0 {
				return append(fields, s)
			}
			fields = append(fields, s[:i])
			s = s[i+1:]
		}
	}
	fd := string(c.fd)
	for {
		i := strings.Index(s, fd)
		if i < 0 {
			return append(fields, s)
		}
		fields = append(fields, s[:i])
		s = s[i+len(fd):]
	}
}
