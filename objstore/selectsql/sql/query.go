package sql

// Match tells whether a record passes the WHERE clause.
func (q *Query) Match(rec Record) (bool, error) {
	if q.Where == nil {
		return true, nil
	}
	b, known, err := testExpr(q.Where, rec)
	if err != nil {
		return false, err
	}
	return known && b, nil
}

// Project evaluates the projections of a non-aggregate query over a
// record into dst.
func (q *Query) Project(rec Record, dst []Value) ([]Value, error) {
	dst = dst[:0]
	for _, it := range q.Items {
		v, err := it.Expr.eval(rec)
		if err != nil {
			return dst, err
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// Accumulate folds a record that passed Match into the aggregates.
func (q *Query) Accumulate(rec Record) error {
	for _, a := range q.aggs {
		if err := a.accumulate(rec); err != nil {
			return err
		}
	}
	return nil
}

// Result evaluates the projections of an aggregate query after the scan.
func (q *Query) Result() ([]Value, error) {
	return q.Project(nil, nil)
}

// Names are the output names of the projections: the alias or column
// name, or _N by position.
func (q *Query) Names() []string {
	names := make([]string, len(q.Items))
	for i, it := range q.Items {
		names[i] = it.Name
		if names[i] == "" {
			names[i] = "_" + itoa(i+1)
		}
	}
	return names
}
