package sql

import (
	"math"
	"strings"
	"unicode/utf8"
)

// callExpr is a scalar function.
type callExpr struct {
	fn   string
	args []Expr
}

func (e *callExpr) eval(rec Record) (Value, error) {
	args := make([]Value, len(e.args))
	for i, a := range e.args {
		v, err := a.eval(rec)
		if err != nil {
			return v, err
		}
		args[i] = v
	}
	switch e.fn {
	case "COALESCE":
		for _, v := range args {
			if !v.IsAbsent() {
				return v, nil
			}
		}
		return NullValue, nil
	case "NULLIF":
		if c, ok := compareValues(args[0], args[1]); ok && c == 0 && !args[0].IsAbsent() {
			return NullValue, nil
		}
		return args[0], nil
	}
	for _, v := range args {
		if v.IsAbsent() {
			return NullValue, nil
		}
	}
	return scalar(e.fn, args)
}

// scalar computes a function of present arguments.
func scalar(fn string, args []Value) (Value, error) {
	switch fn {
	case "LOWER":
		return StringValue(strings.ToLower(args[0].Text())), nil
	case "UPPER":
		return StringValue(strings.ToUpper(args[0].Text())), nil
	case "CHAR_LENGTH", "CHARACTER_LENGTH":
		return IntValue(int64(utf8.RuneCountInString(args[0].Text()))), nil
	case "ABS":
		n, ok := args[0].number()
		if !ok {
			return NullValue, errorf(CodeInvalidDataType, "ABS takes a number, not %q.", args[0].Text())
		}
		if n.Kind == Int && n.I != math.MinInt64 {
			return IntValue(abs64(n.I)), nil
		}
		return FloatValue(math.Abs(n.float())), nil
	case "SUBSTRING":
		return substring(args)
	}
	return NullValue, errorf(CodeParseUnsupportedCall, "Unsupported function %s.", fn)
}

// substring is SQL's SUBSTRING: 1-based, a start before 1 eats into the
// length.
func substring(args []Value) (Value, error) {
	r := []rune(args[0].Text())
	start, err := intArg("SUBSTRING", args[1])
	if err != nil {
		return NullValue, err
	}
	end := int64(len(r)) + 1
	if len(args) == 3 {
		n, err := intArg("SUBSTRING", args[2])
		if err != nil {
			return NullValue, err
		}
		if n < 0 {
			return NullValue, errorf(CodeEvaluatorInvalidArgs, "The length of SUBSTRING must not be negative.")
		}
		if start+n < end {
			end = start + n
		}
	}
	start = max(start, 1)
	if start >= end {
		return StringValue(""), nil
	}
	return StringValue(string(r[start-1 : end-1])), nil
}

// intArg reads an integer argument of a function.
func intArg(fn string, v Value) (int64, error) {
	iv, err := castInt(v)
	if err != nil {
		return 0, errorf(CodeEvaluatorInvalidArgs, "%s takes an integer, not %q.", fn, v.Text())
	}
	return iv.I, nil
}

// trimExpr is TRIM([LEADING|TRAILING|BOTH] [chars FROM] s).
type trimExpr struct {
	where    string
	chars, x Expr
}

func (e *trimExpr) eval(rec Record) (Value, error) {
	v, err := e.x.eval(rec)
	if err != nil || v.IsAbsent() {
		return NullValue, err
	}
	cut := " "
	if e.chars != nil {
		cv, err := e.chars.eval(rec)
		if err != nil || cv.IsAbsent() {
			return NullValue, err
		}
		cut = cv.Text()
	}
	s := v.Text()
	if e.where != "TRAILING" {
		s = strings.TrimLeft(s, cut)
	}
	if e.where != "LEADING" {
		s = strings.TrimRight(s, cut)
	}
	return StringValue(s), nil
}
