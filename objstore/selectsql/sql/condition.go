package sql

// condition is an expression that answers as a truth value without
// making a Value: the WHERE clause of a scan asks this of every record.
type condition interface {
	// test evaluates the expression as truth does its value: known is
	// false for NULL, MISSING and anything not a BOOL.
	test(rec Record) (b, known bool, err error)
}

// testExpr evaluates x as a truth value, through condition when x is one.
func testExpr(x Expr, rec Record) (b, known bool, err error) {
	if c, ok := x.(condition); ok {
		return c.test(rec)
	}
	v, err := x.eval(rec)
	if err != nil {
		return false, false, err
	}
	b, known = truth(v)
	return b, known, nil
}

// test is eval of AND and OR as a truth value.
func (e *logical) test(rec Record) (b, known bool, err error) {
	lb, lk, err := testExpr(e.l, rec)
	if err != nil {
		return false, false, err
	}
	if lk && lb == e.or { // false AND x, true OR x
		return lb, true, nil
	}
	rb, rk, err := testExpr(e.r, rec)
	if err != nil {
		return false, false, err
	}
	if rk && rb == e.or || lk && rk {
		return rb, true, nil
	}
	return false, false, nil
}
