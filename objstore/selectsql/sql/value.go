package sql

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of value a query works with. Missing is a field the record
// does not have at all; Null is one it has without a value.
const (
	Missing Kind = iota
	Null
	Bool
	Int
	Float
	String
	Timestamp
	// Composite holds a JSON list or struct as decoded (a []any or an
	// *Object).
	Composite
)

var kindNames = [...]string{"MISSING", "NULL", "BOOL", "INT", "FLOAT", "STRING", "TIMESTAMP", "COMPOSITE"}

func (k Kind) String() string { return kindNames[k] }

// Value is one value of a record or of an expression.
type Value struct {
	Kind Kind
	B    bool
	I    int64
	F    float64
	S    string
	// C is the list ([]any) or struct (*Object) of a Composite, or the
	// time.Time of a TIMESTAMP.
	C any
}

// Constructors of the scalar kinds.
var (
	MissingValue = Value{Kind: Missing}
	NullValue    = Value{Kind: Null}
)

// BoolValue returns a BOOL.
func BoolValue(b bool) Value { return Value{Kind: Bool, B: b} }

// IntValue returns an INT.
func IntValue(i int64) Value { return Value{Kind: Int, I: i} }

// FloatValue returns a FLOAT.
func FloatValue(f float64) Value { return Value{Kind: Float, F: f} }

// StringValue returns a STRING.
func StringValue(s string) Value { return Value{Kind: String, S: s} }

// TimeValue returns a TIMESTAMP.
func TimeValue(t time.Time) Value { return Value{Kind: Timestamp, C: t} }

// Time is the time of a TIMESTAMP.
func (v Value) Time() time.Time {
	t, _ := v.C.(time.Time)
	return t
}

// IsAbsent tells whether v is NULL or MISSING.
func (v Value) IsAbsent() bool { return v.Kind == Null || v.Kind == Missing }

// number returns v as a number: ints stay ints, strings that read as a
// number become one. ok is false for anything else.
func (v Value) number() (Value, bool) {
	switch v.Kind {
	case Int, Float:
		return v, true
	case String:
		return parseNumber(strings.TrimSpace(v.S))
	}
	return v, false
}

// parseNumber reads an integer or a decimal number.
func parseNumber(s string) (Value, bool) {
	if s == "" {
		return Value{}, false
	}
	if i, ok := parseInt(s); ok {
		return IntValue(i), true
	}
	if !maybeFloat(s) {
		return Value{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) && !strings.Contains(strings.ToLower(s), "inf") {
		return Value{}, false
	}
	return FloatValue(f), true
}

// float returns a number as a float64.
func (v Value) float() float64 {
	if v.Kind == Int {
		return float64(v.I)
	}
	return v.F
}

// Text formats v the way the CSV output writes it.
func (v Value) Text() string {
	switch v.Kind {
	case Bool:
		return strconv.FormatBool(v.B)
	case Int:
		return strconv.FormatInt(v.I, 10)
	case Float:
		return FormatFloat(v.F)
	case String:
		return v.S
	case Timestamp:
		return v.Time().Format(time.RFC3339Nano)
	case Composite:
		return string(AppendJSON(nil, v))
	}
	return ""
}

// FormatFloat writes a float without an exponent when it is of a sane
// size, as S3 does.
func FormatFloat(f float64) string {
	if math.Abs(f) >= 1e21 || (f != 0 && math.Abs(f) < 1e-7) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// parseInt reads a decimal integer of up to 18 digits without the
// allocation of a failed strconv.ParseInt; longer ones go to strconv.
func parseInt(s string) (int64, bool) {
	neg := false
	d := s
	if d[0] == '-' || d[0] == '+' {
		neg, d = d[0] == '-', d[1:]
	}
	if len(d) == 0 || len(d) > 18 {
		if len(d) > 18 && allDigits(d) {
			i, err := strconv.ParseInt(s, 10, 64)
			return i, err == nil
		}
		return 0, false
	}
	var n int64
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maybeFloat tells whether s could be a float, so that text that is
// plainly not a number costs no failed strconv call.
func maybeFloat(s string) bool {
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '.', c == '-', c == '+':
		return true
	case c == 'i', c == 'I', c == 'n', c == 'N':
		return true // inf, NaN
	}
	return false
}
