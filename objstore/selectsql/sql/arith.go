package sql

import (
	"math"
	"math/bits"
)

// arith is + - * / %.
type arith struct {
	op   byte
	l, r Expr
}

func (e *arith) eval(rec Record) (Value, error) {
	lv, rv, absent, err := operands(e.l, e.r, rec)
	if err != nil || absent {
		return NullValue, err
	}
	ln, lok := lv.number()
	rn, rok := rv.number()
	if !lok || !rok {
		bad := lv
		if lok {
			bad = rv
		}
		return NullValue, errorf(CodeInvalidDataType, "The operator %c takes numbers; %q is a %s that is not a number.", e.op, bad.Text(), bad.Kind)
	}
	if ln.Kind == Int && rn.Kind == Int {
		return intArith(e.op, ln.I, rn.I)
	}
	return floatArith(e.op, ln.float(), rn.float())
}

// intArith computes on integers, moving to floats when a result
// overflows.
func intArith(op byte, a, b int64) (Value, error) {
	switch op {
	case '+':
		s := a + b
		if (s > a) == (b > 0) {
			return IntValue(s), nil
		}
	case '-':
		s := a - b
		if (s < a) == (b > 0) {
			return IntValue(s), nil
		}
	case '*':
		hi, lo := bits.Mul64(uint64(abs64(a)), uint64(abs64(b)))
		if hi == 0 && lo <= math.MaxInt64 && a != math.MinInt64 && b != math.MinInt64 {
			return IntValue(a * b), nil
		}
	case '/', '%':
		if b == 0 {
			return NullValue, errorf(CodeDivisionByZero, "Division by zero.")
		}
		if a == math.MinInt64 && b == -1 {
			break
		}
		if op == '/' {
			return IntValue(a / b), nil
		}
		return IntValue(a % b), nil
	}
	return floatArith(op, float64(a), float64(b))
}

func abs64(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

func floatArith(op byte, a, b float64) (Value, error) {
	switch op {
	case '+':
		return FloatValue(a + b), nil
	case '-':
		return FloatValue(a - b), nil
	case '*':
		return FloatValue(a * b), nil
	}
	if b == 0 {
		return NullValue, errorf(CodeDivisionByZero, "Division by zero.")
	}
	if op == '/' {
		return FloatValue(a / b), nil
	}
	return FloatValue(math.Mod(a, b)), nil
}
