package input

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// JSON reads the records of a JSON input: each top-level value of the
// stream (one per line for LINES, any layout for DOCUMENT), or what the
// FROM path selects in it.
type JSON struct {
	dec  *json.Decoder
	path []sql.Step
	// pending are records the path found in the last value, not yet
	// returned.
	pending []any
	rec     jsonRecord
}

// NewJSON reads r; path is the FROM path after S3Object[*].
func NewJSON(r io.Reader, path []sql.Step) *JSON {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 256<<10))
	dec.UseNumber()
	return &JSON{dec: dec, path: path}
}

// Next returns the next record.
func (j *JSON) Next() (sql.Record, error) {
	for len(j.pending) == 0 {
		v, err := j.value()
		if err != nil {
			return nil, err
		}
		j.pending = selectPath(j.pending, v, j.path)
	}
	j.rec.set(j.pending[0])
	j.pending = j.pending[1:]
	return &j.rec, nil
}

// value decodes the next top-level value with its fields in order.
func (j *JSON) value() (any, error) {
	d := &decoder{Decoder: j.dec, start: j.dec.InputOffset()}
	v, err := d.value(0)
	switch {
	case errors.Is(err, io.EOF):
		return nil, io.EOF
	case errors.As(err, new(*objstore.Error)):
		return nil, err // the stream under the JSON failed (damaged compression)
	case errors.Is(err, errTooLarge):
		return nil, errorf("OverMaxRecordSize", "A record of the JSON input at byte %d is over %d bytes.", d.start, MaxRecordSize)
	case err != nil:
		return nil, errorf("JSONParsingError", "The JSON input near byte %d is not valid JSON: %v.", d.InputOffset(), err)
	}
	return v, nil
}

// maxJSONDepth bounds the nesting of a JSON value.
const maxJSONDepth = 256

// errTooLarge reports a value over MaxRecordSize.
var errTooLarge = errors.New("record too large")

// decoder reads one top-level value that starts at start.
type decoder struct {
	*json.Decoder
	start int64
}

// value reads one value through the token stream, keeping the order of
// an object's fields, and stops once it runs over MaxRecordSize.
func (dec *decoder) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("nested deeper than %d", maxJSONDepth)
	}
	if dec.InputOffset()-dec.start > MaxRecordSize {
		return nil, errTooLarge
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return decodeObject(dec, depth)
		case '[':
			return decodeArray(dec, depth)
		}
		return nil, fmt.Errorf("unexpected %q", t)
	}
	return tok, nil
}

func decodeObject(dec *decoder, depth int) (any, error) {
	o := &sql.Object{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		k, _ := kt.(string)
		v, err := dec.value(depth + 1)
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		o.Keys = append(o.Keys, k)
		o.Values = append(o.Values, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, unexpectedEOF(err)
	}
	return o, nil
}

func decodeArray(dec *decoder, depth int) (any, error) {
	list := []any{}
	for dec.More() {
		v, err := dec.value(depth + 1)
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		list = append(list, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, unexpectedEOF(err)
	}
	return list, nil
}

// unexpectedEOF turns an end of input inside a value into an error.
func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// selectPath appends what path selects in v: one value per element a
// [*] step runs over, none when a step finds nothing.
func selectPath(dst []any, v any, path []sql.Step) []any {
	if len(path) == 0 {
		return append(dst, v)
	}
	s := path[0]
	switch t := v.(type) {
	case *sql.Object:
		if s.Index >= 0 || s.Wildcard {
			return dst
		}
		if x, ok := t.Get(s.Name, !s.Quoted); ok {
			return selectPath(dst, x, path[1:])
		}
	case []any:
		switch {
		case s.Wildcard:
			for _, x := range t {
				dst = selectPath(dst, x, path[1:])
			}
		case s.Index >= 0 && s.Index < len(t):
			return selectPath(dst, t[s.Index], path[1:])
		}
	}
	return dst
}

// jsonRecord is one JSON record: a struct's fields, or a single value
// as column _1.
type jsonRecord struct {
	obj    *sql.Object
	single sql.Value
}

func (r *jsonRecord) set(v any) {
	r.obj, _ = v.(*sql.Object)
	if r.obj == nil {
		r.single = sql.FromAny(v)
	}
}

func (r *jsonRecord) Field(name string, fold bool) sql.Value {
	if r.obj == nil {
		return sql.MissingValue
	}
	v, ok := r.obj.Get(name, fold)
	if !ok {
		return sql.MissingValue
	}
	return sql.FromAny(v)
}

func (r *jsonRecord) Index(i int) sql.Value {
	if r.obj == nil {
		if i == 0 {
			return r.single
		}
		return sql.MissingValue
	}
	if i < 0 || i >= len(r.obj.Values) {
		return sql.MissingValue
	}
	return sql.FromAny(r.obj.Values[i])
}

func (r *jsonRecord) Len() int {
	if r.obj == nil {
		return 1
	}
	return len(r.obj.Keys)
}

func (r *jsonRecord) Name(i int) string {
	if r.obj == nil || i >= len(r.obj.Keys) {
		return "_" + fmt.Sprint(i+1)
	}
	return r.obj.Keys[i]
}
