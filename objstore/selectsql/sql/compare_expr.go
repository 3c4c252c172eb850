package sql

import (
	"cmp"
	"strings"
)

// cmpOp is a comparison operator, resolved once at parse time.
type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

// cmpOps maps the operator's text to its code.
var cmpOps = map[string]cmpOp{"=": opEq, "!=": opNe, "<>": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe}

// holds applies the operator to the sign of a comparison.
func (op cmpOp) holds(c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0
}

// mirrored is the operator with its operands swapped: a < b is b > a.
func (op cmpOp) mirrored() cmpOp {
	switch op {
	case opLt:
		return opGt
	case opLe:
		return opGe
	case opGt:
		return opLt
	case opGe:
		return opLe
	}
	return op
}

// result is the value of a comparison whose comparison c succeeded (ok)
// or found the operands incomparable: = is then false and != true, the
// others unknown.
func (op cmpOp) result(c int, ok bool) Value {
	if b, known := op.truth(c, ok); known {
		return BoolValue(b)
	}
	return NullValue
}

// truth is result as a truth value; known is false for NULL.
func (op cmpOp) truth(c int, ok bool) (b, known bool) {
	if ok {
		return op.holds(c), true
	}
	switch op {
	case opEq:
		return false, true
	case opNe:
		return true, true
	}
	return false, false
}

// newCompare builds a comparison; a column compared with a constant,
// the usual WHERE clause, gets a node of its own that reads the column
// directly and the constant never.
func newCompare(text string, l, r Expr) Expr {
	op := cmpOps[text]
	if c, ok := l.(*column); ok {
		if lit, ok := r.(*literal); ok {
			return &columnCompare{op: op, col: c, lit: lit.v}
		}
	}
	if c, ok := r.(*column); ok {
		if lit, ok := l.(*literal); ok {
			return &columnCompare{op: op.mirrored(), col: c, lit: lit.v}
		}
	}
	return &compare{op: op, l: l, r: r}
}

// compare is a comparison operator.
type compare struct {
	op   cmpOp
	l, r Expr
}

func (e *compare) eval(rec Record) (Value, error) {
	lv, rv, absent, err := operands(e.l, e.r, rec)
	if err != nil || absent {
		return NullValue, err
	}
	return e.op.result(compareValues(lv, rv)), nil
}

// columnCompare is a column compared with a constant: col op lit.
type columnCompare struct {
	op  cmpOp
	col *column
	lit Value
}

func (e *columnCompare) eval(rec Record) (Value, error) {
	if tr, ok := rec.(TextRecord); ok && e.col.plain() {
		return e.evalText(tr), nil
	}
	v, err := e.col.eval(rec)
	if err != nil {
		return v, err
	}
	if v.IsAbsent() || e.lit.IsAbsent() {
		return NullValue, nil
	}
	return e.op.result(compareValues(v, e.lit)), nil
}

// test answers the comparison as a truth value.
func (e *columnCompare) test(rec Record) (b, known bool, err error) {
	if tr, ok := rec.(TextRecord); ok && e.col.plain() {
		b, known = e.textTruth(tr)
		return b, known, nil
	}
	v, err := e.eval(rec)
	b, known = truth(v)
	return b, known, err
}

// evalText is eval over a text record.
func (e *columnCompare) evalText(rec TextRecord) Value {
	if b, known := e.textTruth(rec); known {
		return BoolValue(b)
	}
	return NullValue
}

// textTruth compares a plain column of a text record with the constant:
// the comparison compareValues makes of a STRING and the constant, made
// on the text directly. known is false for an unknown answer (NULL).
func (e *columnCompare) textTruth(rec TextRecord) (b, known bool) {
	s, ok := e.col.text(rec)
	if !ok || e.lit.IsAbsent() {
		return false, false
	}
	switch e.lit.Kind {
	case String:
		return e.op.holds(strings.Compare(s, e.lit.S)), true
	case Int, Float:
		n, ok := parseNumber(strings.TrimSpace(s))
		if !ok {
			return e.op.truth(0, false)
		}
		if n.Kind == Int && e.lit.Kind == Int {
			return e.op.holds(cmp.Compare(n.I, e.lit.I)), true
		}
		return e.op.holds(cmp.Compare(n.float(), e.lit.float())), true
	}
	return e.op.truth(compareValues(StringValue(s), e.lit))
}
