package input

import (
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// csvRecord is one CSV record: strings all. A record that held no quote
// character is cut at its field delimiters lazily, as far as the fields
// asked for: a query that reads the first columns of a wide file does
// not pay for the others.
type csvRecord struct {
	header *Header
	// fd is the field delimiter.
	fd string
	// fields are the fields cut so far.
	fields []string
	// rest is the text after the fields cut so far; more tells whether
	// it still holds a field.
	rest string
	more bool
	// raw is the record as read when it held no quote character, else "".
	raw string
}

// reset makes the record the text of a line without quotes.
func (r *csvRecord) reset(line string) {
	r.fields = r.fields[:0]
	r.raw, r.rest, r.more = line, line, true
}

// setFields makes the record fields parsed already.
func (r *csvRecord) setFields(fields []string) {
	r.fields = fields
	r.raw, r.rest, r.more = "", "", false
}

// cutTo cuts fields until field i is there or the record ends; it tells
// whether field i exists.
func (r *csvRecord) cutTo(i int) bool {
	for len(r.fields) <= i && r.more {
		r.cut()
	}
	return i < len(r.fields)
}

// cut cuts the next field off rest.
func (r *csvRecord) cut() {
	var j int
	if len(r.fd) == 1 {
		j = strings.IndexByte(r.rest, r.fd[0])
	} else {
		j = strings.Index(r.rest, r.fd)
	}
	if j < 0 {
		r.fields = append(r.fields, r.rest)
		r.rest, r.more = "", false
		return
	}
	r.fields = append(r.fields, r.rest[:j])
	r.rest = r.rest[j+len(r.fd):]
}

// all cuts every field and returns them.
func (r *csvRecord) all() []string {
	for r.more {
		r.cut()
	}
	return r.fields
}

// Raw returns the text of a record that held no quote character, which
// is also how CSV output with the same delimiters writes it.
func (r *csvRecord) Raw() (string, bool) { return r.raw, r.raw != "" }

// Field finds a column by its header name.
func (r *csvRecord) Field(name string, fold bool) sql.Value {
	if r.header == nil {
		return sql.MissingValue
	}
	i, ok := r.header.index(name, fold)
	if !ok {
		return sql.MissingValue
	}
	return r.Index(i)
}

// Layout is the header: every record of a file shares it.
func (r *csvRecord) Layout() any { return r.header }

// Position finds a column of the header.
func (r *csvRecord) Position(name string, fold bool) (int, bool) {
	if r.header == nil {
		return 0, false
	}
	return r.header.index(name, fold)
}

// Index returns a field by position.
func (r *csvRecord) Index(i int) sql.Value {
	if i < 0 || !r.cutTo(i) {
		return sql.MissingValue
	}
	return sql.StringValue(r.fields[i])
}

// Text returns a field's text by position.
func (r *csvRecord) Text(i int) (string, bool) {
	if i < 0 || !r.cutTo(i) {
		return "", false
	}
	return r.fields[i], true
}

// Len is the number of fields.
func (r *csvRecord) Len() int { return len(r.all()) }

// Name is the header name of a position, or _N.
func (r *csvRecord) Name(i int) string {
	if r.header != nil && i < len(r.header.names) {
		return r.header.names[i]
	}
	return "_" + strconv.Itoa(i+1)
}
