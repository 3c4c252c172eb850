package sql

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// castExpr is CAST(x AS type).
type castExpr struct {
	x  Expr
	to Kind
}

func (e *castExpr) eval(rec Record) (Value, error) {
	v, err := e.x.eval(rec)
	if err != nil || v.IsAbsent() {
		return v, err
	}
	return castTo(v, e.to)
}

// castTo converts a present value to a kind.
func castTo(v Value, to Kind) (Value, error) {
	switch to {
	case Int:
		return castInt(v)
	case Float:
		return castFloat(v)
	case String:
		return StringValue(v.Text()), nil
	case Bool:
		return castBool(v)
	case Timestamp:
		return castTimestamp(v)
	}
	return v, nil
}

func castFailed(v Value, to string) error {
	return errorf(CodeCastFailed, "Attempt to convert from one data type to another failed: cannot cast %q (%s) to %s.", v.Text(), v.Kind, to)
}

func castInt(v Value) (Value, error) {
	switch v.Kind {
	case Int:
		return v, nil
	case Float:
		if math.IsNaN(v.F) || math.Abs(v.F) >= math.MaxInt64 {
			return v, castFailed(v, "INT")
		}
		return IntValue(int64(v.F)), nil
	case Bool:
		if v.B {
			return IntValue(1), nil
		}
		return IntValue(0), nil
	case String:
		n, ok := parseNumber(strings.TrimSpace(v.S))
		if !ok {
			return v, castFailed(v, "INT")
		}
		return castInt(n)
	}
	return v, castFailed(v, "INT")
}

func castFloat(v Value) (Value, error) {
	switch v.Kind {
	case Int:
		return FloatValue(float64(v.I)), nil
	case Float:
		return v, nil
	case Bool:
		if v.B {
			return FloatValue(1), nil
		}
		return FloatValue(0), nil
	case String:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.S), 64)
		if err != nil {
			return v, castFailed(v, "FLOAT")
		}
		return FloatValue(f), nil
	}
	return v, castFailed(v, "FLOAT")
}

func castBool(v Value) (Value, error) {
	switch v.Kind {
	case Bool:
		return v, nil
	case Int:
		return BoolValue(v.I != 0), nil
	case Float:
		return BoolValue(v.F != 0), nil
	case String:
		if b, ok := truth(StringValue(strings.TrimSpace(v.S))); ok {
			return BoolValue(b), nil
		}
	}
	return v, castFailed(v, "BOOL")
}

// timeLayouts are the timestamp forms CAST reads, most precise first.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04",
	"2006-01-02 15:04:05", "2006-01-02", "2006-01T", "2006T",
}

func castTimestamp(v Value) (Value, error) {
	switch v.Kind {
	case Timestamp:
		return v, nil
	case String:
		s := strings.TrimSpace(v.S)
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return TimeValue(t), nil
			}
		}
	}
	return v, castFailed(v, "TIMESTAMP")
}
