package sql

import (
	"encoding/json"
	"math"
	"math/big"
	"sort"
	"strings"
	"time"
)

// Object is a JSON struct with its fields in document order.
type Object struct {
	Keys   []string
	Values []any
}

// Get returns the value of a field, matching its name case-insensitively
// when fold is set (an exact match wins).
func (o *Object) Get(name string, fold bool) (any, bool) {
	for i, k := range o.Keys {
		if k == name {
			return o.Values[i], true
		}
	}
	if fold {
		for i, k := range o.Keys {
			if strings.EqualFold(k, name) {
				return o.Values[i], true
			}
		}
	}
	return nil, false
}

// FromAny converts a decoded JSON or Parquet value into a Value.
func FromAny(x any) Value {
	switch t := x.(type) {
	case nil:
		return NullValue
	case bool:
		return BoolValue(t)
	case string:
		return StringValue(t)
	case []byte:
		return StringValue(string(t))
	case json.Number:
		if v, ok := parseNumber(string(t)); ok {
			return v
		}
		return StringValue(string(t))
	case int:
		return IntValue(int64(t))
	case int8:
		return IntValue(int64(t))
	case int16:
		return IntValue(int64(t))
	case int32:
		return IntValue(int64(t))
	case int64:
		return IntValue(t)
	case uint8:
		return IntValue(int64(t))
	case uint16:
		return IntValue(int64(t))
	case uint32:
		return IntValue(int64(t))
	case uint64:
		if t > math.MaxInt64 {
			return FloatValue(float64(t))
		}
		return IntValue(int64(t))
	case float32:
		return FloatValue(float64(t))
	case float64:
		return FloatValue(t)
	case *big.Float:
		f, _ := t.Float64()
		return FloatValue(f)
	case time.Time:
		return TimeValue(t)
	case []any, *Object:
		return Value{Kind: Composite, C: t}
	case map[string]any:
		return Value{Kind: Composite, C: objectFromMap(t)}
	}
	return NullValue
}

// objectFromMap orders a map's fields by name.
func objectFromMap(m map[string]any) *Object {
	o := &Object{Keys: make([]string, 0, len(m))}
	for k := range m {
		o.Keys = append(o.Keys, k)
	}
	sort.Strings(o.Keys)
	o.Values = make([]any, len(o.Keys))
	for i, k := range o.Keys {
		o.Values[i] = m[k]
	}
	return o
}

// step follows one path step from v.
func step(v Value, s Step) Value {
	if v.Kind != Composite {
		return MissingValue
	}
	switch c := v.C.(type) {
	case *Object:
		if s.Index >= 0 || s.Wildcard {
			return MissingValue
		}
		x, ok := c.Get(s.Name, !s.Quoted)
		if !ok {
			return MissingValue
		}
		return FromAny(x)
	case []any:
		if s.Index < 0 || s.Index >= len(c) {
			return MissingValue
		}
		return FromAny(c[s.Index])
	}
	return MissingValue
}

// AppendJSON appends v as JSON.
func AppendJSON(dst []byte, v Value) []byte {
	switch v.Kind {
	case Missing, Null:
		return append(dst, "null"...)
	case Bool, Int, Float:
		if v.Kind == Float && (math.IsNaN(v.F) || math.IsInf(v.F, 0)) {
			return appendJSONString(dst, v.Text())
		}
		return append(dst, v.Text()...)
	case String, Timestamp:
		return appendJSONString(dst, v.Text())
	}
	switch c := v.C.(type) {
	case *Object:
		dst = append(dst, '{')
		for i, k := range c.Keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, k)
			dst = append(dst, ':')
			dst = AppendJSON(dst, FromAny(c.Values[i]))
		}
		return append(dst, '}')
	case []any:
		dst = append(dst, '[')
		for i, x := range c {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, FromAny(x))
		}
		return append(dst, ']')
	}
	return append(dst, "null"...)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
