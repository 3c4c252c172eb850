package sql

import (
	"strings"
)

// literal is a constant.
type literal struct{ v Value }

func (l *literal) eval(Record) (Value, error) { return l.v, nil }

// column is a reference to a field of the record, by name or by
// position (_1), with any path steps into JSON after it.
type column struct {
	steps []Step
	// pos is the 1-based column of a positional reference, else 0.
	pos int
	// layout, at and found cache the position of a named column in the
	// layout of a Positioner record.
	layout any
	at     int
	found  bool
}

// init classifies the first step after the path changed.
func (c *column) init() {
	c.pos = 0
	if f := c.steps[0]; !f.Quoted && f.Index < 0 && !f.Wildcard {
		if n, ok := positional(f.Name); ok {
			c.pos = n
		}
	}
}

// outputName is the name a projection of the column is output under.
func (c *column) outputName() string {
	last := c.steps[len(c.steps)-1]
	if last.Index >= 0 || last.Wildcard {
		return ""
	}
	return last.Name
}

func (c *column) eval(rec Record) (Value, error) {
	if rec == nil {
		return MissingValue, nil
	}
	var v Value
	first := &c.steps[0]
	switch {
	case c.pos > 0:
		v = rec.Index(c.pos - 1)
	case first.Index >= 0 || first.Wildcard:
		return MissingValue, nil
	default:
		v = c.named(rec, first)
	}
	for _, s := range c.steps[1:] {
		v = step(v, s)
	}
	return v, nil
}

// named reads a column by name, through the cached position when the
// record has a fixed layout.
func (c *column) named(rec Record, first *Step) Value {
	p, ok := rec.(Positioner)
	if !ok {
		return rec.Field(first.Name, !first.Quoted)
	}
	if l := p.Layout(); l != c.layout {
		c.layout = l
		c.at, c.found = p.Position(first.Name, !first.Quoted)
	}
	if !c.found {
		return MissingValue
	}
	return rec.Index(c.at)
}

// plain tells whether the column is one step naming a field, by name or
// by position.
func (c *column) plain() bool {
	return len(c.steps) == 1 && c.steps[0].Index < 0 && !c.steps[0].Wildcard
}

// text reads a plain column of a text record, as eval does.
func (c *column) text(rec TextRecord) (string, bool) {
	if c.pos > 0 {
		return rec.Text(c.pos - 1)
	}
	if l := rec.Layout(); l != c.layout {
		first := &c.steps[0]
		c.layout = l
		c.at, c.found = rec.Position(first.Name, !first.Quoted)
	}
	if !c.found {
		return "", false
	}
	return rec.Text(c.at)
}

// truth reads a value as a condition: known is false for NULL and
// MISSING (and for anything not a BOOL).
func truth(v Value) (b, known bool) {
	if v.Kind == Bool {
		return v.B, true
	}
	if v.Kind == String {
		switch strings.ToLower(v.S) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// logical is AND or OR with SQL's three-valued logic.
type logical struct {
	or   bool
	l, r Expr
}

func (e *logical) eval(rec Record) (Value, error) {
	lv, err := e.l.eval(rec)
	if err != nil {
		return lv, err
	}
	lb, lk := truth(lv)
	if lk && lb == e.or { // false AND x, true OR x
		return BoolValue(lb), nil
	}
	rv, err := e.r.eval(rec)
	if err != nil {
		return rv, err
	}
	rb, rk := truth(rv)
	switch {
	case rk && rb == e.or:
		return BoolValue(rb), nil
	case lk && rk:
		return BoolValue(rb), nil
	}
	return NullValue, nil
}

// notExpr is NOT.
type notExpr struct{ x Expr }

func (e *notExpr) eval(rec Record) (Value, error) {
	v, err := e.x.eval(rec)
	if err != nil {
		return v, err
	}
	if b, ok := truth(v); ok {
		return BoolValue(!b), nil
	}
	return NullValue, nil
}

// isExpr is IS [NOT] NULL and IS [NOT] MISSING.
type isExpr struct {
	x            Expr
	not, missing bool
}

func (e *isExpr) eval(rec Record) (Value, error) {
	v, err := e.x.eval(rec)
	if err != nil {
		return v, err
	}
	is := v.IsAbsent()
	if e.missing {
		is = v.Kind == Missing
	}
	return BoolValue(is != e.not), nil
}

// inExpr is [NOT] IN (list).
type inExpr struct {
	x    Expr
	list []Expr
	not  bool
}

func (e *inExpr) eval(rec Record) (Value, error) {
	v, err := e.x.eval(rec)
	if err != nil || v.IsAbsent() {
		return NullValue, err
	}
	unknown := false
	for _, item := range e.list {
		iv, err := item.eval(rec)
		if err != nil {
			return iv, err
		}
		if iv.IsAbsent() {
			unknown = true
			continue
		}
		if c, ok := compareValues(v, iv); ok && c == 0 {
			return BoolValue(!e.not), nil
		}
	}
	if unknown {
		return NullValue, nil
	}
	return BoolValue(e.not), nil
}

// between is [NOT] BETWEEN lo AND hi.
type between struct {
	x, lo, hi Expr
	not       bool
}

func (e *between) eval(rec Record) (Value, error) {
	var vals [3]Value
	for i, x := range []Expr{e.x, e.lo, e.hi} {
		v, err := x.eval(rec)
		if err != nil || v.IsAbsent() {
			return NullValue, err
		}
		vals[i] = v
	}
	lo, ok1 := compareValues(vals[0], vals[1])
	hi, ok2 := compareValues(vals[0], vals[2])
	if !ok1 || !ok2 {
		return NullValue, nil
	}
	return BoolValue((lo >= 0 && hi <= 0) != e.not), nil
}

// operands evaluates the two sides of a binary operator; absent tells
// that either is NULL or MISSING, which makes the operator's result NULL.
func operands(l, r Expr, rec Record) (lv, rv Value, absent bool, err error) {
	if lv, err = l.eval(rec); err != nil {
		return lv, rv, false, err
	}
	if rv, err = r.eval(rec); err != nil {
		return lv, rv, false, err
	}
	return lv, rv, lv.IsAbsent() || rv.IsAbsent(), nil
}

// concatExpr is ||.
type concatExpr struct{ l, r Expr }

func (e *concatExpr) eval(rec Record) (Value, error) {
	lv, rv, absent, err := operands(e.l, e.r, rec)
	if err != nil || absent {
		return NullValue, err
	}
	return StringValue(lv.Text() + rv.Text()), nil
}
