package selectsql

import (
	"strings"

	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// encoder appends result records in the output format.
type encoder interface {
	// row appends one record of named values.
	row(dst []byte, names []string, vals []sql.Value) []byte
}

// csvEncoder writes CSV records.
type csvEncoder struct {
	always     bool
	fd, rd     string
	quote, esc string
	// special marks the bytes that start a delimiter or quote, or are a
	// line break: a field holding one may need quoting.
	special [256]bool
	needs   []string
}

func newCSVEncoder(o *CSVOutput) *csvEncoder {
	e := &csvEncoder{always: strings.EqualFold(o.QuoteFields, "ALWAYS"), fd: o.FieldDelimiter, rd: o.RecordDelimiter,
		quote: o.QuoteCharacter, esc: o.QuoteEscapeCharacter}
	if e.fd == "" {
		e.fd = ","
	}
	if e.rd == "" {
		e.rd = "\n"
	}
	if e.quote == "" {
		e.quote = `"`
	}
	if e.esc == "" {
		e.esc = e.quote
	}
	e.needs = []string{e.fd, e.rd, e.quote, "\n", "\r"}
	for _, n := range e.needs {
		e.special[n[0]] = true
	}
	return e
}

// rawRecord is a record that can give its text as read (CSV).
type rawRecord interface {
	Raw() (string, bool)
}

// passthrough tells whether SELECT * may copy the text of a CSV input
// record that held no quotes: the same field delimiter, quotes as needed.
func (e *csvEncoder) passthrough(in *CSVInput) bool {
	if in == nil || e.always {
		return false
	}
	o := in.options()
	return o.FieldDelimiter == e.fd && o.QuoteCharacter == e.quote
}

// appendRaw appends a record's text when it needs no quoting here.
func (e *csvEncoder) appendRaw(dst []byte, raw string) ([]byte, bool) {
	if strings.ContainsAny(raw, "\r\n") || strings.Contains(raw, e.rd) {
		return dst, false
	}
	return append(append(dst, raw...), e.rd...), true
}

func (e *csvEncoder) row(dst []byte, _ []string, vals []sql.Value) []byte {
	for i, v := range vals {
		if i > 0 {
			dst = append(dst, e.fd...)
		}
		dst = e.field(dst, v.Text())
	}
	return append(dst, e.rd...)
}

func (e *csvEncoder) field(dst []byte, s string) []byte {
	if !e.always && !e.mustQuote(s) {
		return append(dst, s...)
	}
	dst = append(dst, e.quote...)
	for {
		i := strings.Index(s, e.quote)
		if i < 0 {
			break
		}
		dst = append(dst, s[:i]...)
		dst = append(dst, e.esc...)
		dst = append(dst, e.quote...)
		s = s[i+len(e.quote):]
	}
	dst = append(dst, s...)
	return append(dst, e.quote...)
}

func (e *csvEncoder) mustQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		if !e.special[s[i]] {
			continue
		}
		for _, n := range e.needs {
			if strings.HasPrefix(s[i:], n) {
				return true
			}
		}
	}
	return false
}

// jsonEncoder writes JSON records, one object each.
type jsonEncoder struct{ rd string }

func newJSONEncoder(o *JSONOutput) *jsonEncoder {
	rd := o.RecordDelimiter
	if rd == "" {
		rd = "\n"
	}
	return &jsonEncoder{rd: rd}
}

func (e *jsonEncoder) row(dst []byte, names []string, vals []sql.Value) []byte {
	dst = append(dst, '{')
	first := true
	for i, v := range vals {
		if v.Kind == sql.Missing {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = sql.AppendJSON(dst, sql.StringValue(names[i]))
		dst = append(dst, ':')
		dst = sql.AppendJSON(dst, v)
	}
	dst = append(dst, '}')
	return append(dst, e.rd...)
}
