package input

import (
	"strconv"
	"strings"

	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// Header holds the column names of a CSV file with FileHeaderInfo USE.
type Header struct {
	names []string
	exact map[string]int
	lower map[string]int
}

// NewHeader indexes column names; the first of duplicate names wins.
func NewHeader(names []string) *Header {
	h := &Header{names: names, exact: make(map[string]int, len(names)), lower: make(map[string]int, len(names))}
	for i, n := range names {
		if _, dup := h.exact[n]; !dup {
			h.exact[n] = i
		}
		l := strings.ToLower(n)
		if _, dup := h.lower[l]; !dup {
			h.lower[l] = i
		}
	}
	return h
}

// index finds a column by name.
func (h *Header) index(name string, fold bool) (int, bool) {
	if i, ok := h.exact[name]; ok {
		return i, true
	}
	if fold {
		i, ok := h.lower[strings.ToLower(name)]
		return i, ok
	}
	return 0, false
}

// csvRecord is one CSV record: strings all.
type csvRecord struct {
	header *Header
	fields []string
	// raw is the record as read when it held no quote character, else "".
	raw string
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
	if i < 0 || i >= len(r.fields) {
		return sql.MissingValue
	}
	return sql.StringValue(r.fields[i])
}

// Len is the number of fields.
func (r *csvRecord) Len() int { return len(r.fields) }

// Name is the header name of a position, or _N.
func (r *csvRecord) Name(i int) string {
	if r.header != nil && i < len(r.header.names) {
		return r.header.names[i]
	}
	return "_" + strconv.Itoa(i+1)
}
