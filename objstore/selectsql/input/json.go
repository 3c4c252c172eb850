package input

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/selectsql/sql"
)

// JSON reads the records of a JSON input: each top-level value of the
// stream (one per line for LINES, any layout for DOCUMENT), or what the
// FROM path selects in each. Along a path it streams: a document may be
// far larger than a record, as long as each record it holds fits.
type JSON struct {
	dec  *json.Decoder
	path []sql.Step
	rec  jsonRecord
	// next and stop pull records out of walk when there is a path.
	next func() (any, error, bool)
	stop func()
}

// NewJSON reads r; path is the FROM path after S3Object[*]. Close it
// when done.
func NewJSON(r io.Reader, path []sql.Step) *JSON {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 256<<10))
	dec.UseNumber()
	return &JSON{dec: dec, path: path}
}

// Next returns the next record.
func (j *JSON) Next() (sql.Record, error) {
	if len(j.path) == 0 {
		v, err := j.value()
		if err != nil {
			return nil, err
		}
		j.rec.set(v)
		return &j.rec, nil
	}
	if j.next == nil {
		j.next, j.stop = iter.Pull2(j.stream)
	}
	v, err, ok := j.next()
	if !ok {
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	j.rec.set(v)
	return &j.rec, nil
}

// Close ends a walk along the path left unfinished.
func (j *JSON) Close() error {
	if j.stop != nil {
		j.stop()
	}
	return nil
}

// stream yields what the path selects in every top-level value.
func (j *JSON) stream(yield func(any, error) bool) {
	for {
		if !j.dec.More() {
			tok, err := j.dec.Token()
			if errors.Is(err, io.EOF) {
				return
			}
			yield(nil, j.parseError(err, tok))
			return
		}
		more, err := j.walk(j.path, 0, func(v any) bool { return yield(v, nil) })
		if err != nil {
			yield(nil, err)
			return
		}
		if !more {
			return
		}
	}
}

// walk reads one value, yielding what the steps select in it and
// skipping the rest token by token. more is false once yield said stop.
func (j *JSON) walk(steps []sql.Step, depth int, yield func(any) bool) (more bool, err error) {
	if len(steps) == 0 {
		v, err := j.value()
		if err != nil {
			return false, err
		}
		return yield(v), nil
	}
	if depth > maxJSONDepth {
		return false, errorf("JSONParsingError", "The JSON input near byte %d nests deeper than %d.", j.dec.InputOffset(), maxJSONDepth)
	}
	tok, err := j.dec.Token()
	if err != nil {
		return false, j.parseError(err, nil)
	}
	d, _ := tok.(json.Delim)
	if d != '{' && d != '[' {
		return true, nil // a scalar holds nothing along a path
	}
	s := steps[0]
	for i := 0; j.dec.More(); i++ {
		take := s.Wildcard || s.Index == i
		if d == '{' {
			kt, err := j.dec.Token()
			if err != nil {
				return false, j.parseError(err, nil)
			}
			key, _ := kt.(string)
			take = s.Index < 0 && !s.Wildcard && (key == s.Name || !s.Quoted && strings.EqualFold(key, s.Name))
		}
		if !take {
			err = j.skip()
		} else if more, err = j.walk(steps[1:], depth+1, yield); !more && err == nil {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	if _, err := j.dec.Token(); err != nil {
		return false, j.parseError(err, nil)
	}
	return true, nil
}

// skip reads past one value without keeping it.
func (j *JSON) skip() error {
	depth := 0
	for {
		tok, err := j.dec.Token()
		if err != nil {
			return j.parseError(err, nil)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// parseError reports a failure of the token stream.
func (j *JSON) parseError(err error, tok any) error {
	switch {
	case err == nil:
		return errorf("JSONParsingError", "Unexpected %v in the JSON input near byte %d.", tok, j.dec.InputOffset())
	case errors.As(err, new(*objstore.Error)):
		return err
	}
	return errorf("JSONParsingError", "The JSON input near byte %d is not valid JSON: %v.", j.dec.InputOffset(), unexpectedEOF(err))
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

// Field finds a field of a struct.
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

// Index returns a field by position; a non-struct value is column 0.
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

// Len is the number of fields.
func (r *jsonRecord) Len() int {
	if r.obj == nil {
		return 1
	}
	return len(r.obj.Keys)
}

// Name is a field's key, or _N.
func (r *jsonRecord) Name(i int) string {
	if r.obj == nil || i >= len(r.obj.Keys) {
		return "_" + fmt.Sprint(i+1)
	}
	return r.obj.Keys[i]
}
