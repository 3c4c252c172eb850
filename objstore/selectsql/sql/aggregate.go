package sql

// aggregate is COUNT, SUM, AVG, MIN or MAX over the records that pass
// the WHERE clause. It holds its running state.
type aggregate struct {
	fn   string
	x    Expr
	star bool

	count int64
	sum   Value
	best  Value
}

// accumulate folds one record in.
func (a *aggregate) accumulate(rec Record) error {
	if a.star {
		a.count++
		return nil
	}
	v, err := a.x.eval(rec)
	if err != nil || v.IsAbsent() {
		return err
	}
	switch a.fn {
	case "SUM", "AVG":
		n, ok := v.number()
		if !ok {
			return errorf(CodeInvalidDataType, "%s takes numbers; %q is not a number.", a.fn, v.Text())
		}
		if a.count == 0 {
			a.sum = n
		} else if a.sum, err = add(a.sum, n); err != nil {
			return err
		}
	case "MIN", "MAX":
		if n, ok := v.number(); ok {
			v = n // a CSV value compared as a number is returned as one
		}
		if a.count == 0 {
			a.best = v
			break
		}
		c, ok := minMaxCompare(v, a.best)
		if ok && (a.fn == "MIN" && c < 0 || a.fn == "MAX" && c > 0) {
			a.best = v
		}
	}
	a.count++
	return nil
}

// add sums two numbers, moving to floats on overflow.
func add(a, b Value) (Value, error) {
	if a.Kind == Int && b.Kind == Int {
		return intArith('+', a.I, b.I)
	}
	return FloatValue(a.float() + b.float()), nil
}

// result is the aggregate's value over what it accumulated.
func (a *aggregate) result() Value {
	if a.fn == "COUNT" {
		return IntValue(a.count)
	}
	if a.count == 0 {
		return NullValue
	}
	switch a.fn {
	case "SUM":
		return a.sum
	case "AVG":
		return FloatValue(a.sum.float() / float64(a.count))
	}
	return a.best
}

// eval gives the result: a projection is evaluated once, after the scan.
func (a *aggregate) eval(Record) (Value, error) { return a.result(), nil }
