package sql

import "strings"

// aggregateNames are the aggregate functions.
var aggregateNames = map[string]bool{"COUNT": true, "SUM": true, "AVG": true, "MIN": true, "MAX": true}

// scalarArity is the number of arguments of each scalar function: min
// and max (-1 for any number).
var scalarArity = map[string][2]int{
	"LOWER": {1, 1}, "UPPER": {1, 1}, "CHAR_LENGTH": {1, 1}, "CHARACTER_LENGTH": {1, 1},
	"COALESCE": {1, -1}, "NULLIF": {2, 2}, "ABS": {1, 1},
}

// call reads the arguments of a function whose name and ( were read.
func (p *parser) call(name token) (Expr, error) {
	fn := strings.ToUpper(name.text)
	switch {
	case aggregateNames[fn]:
		return p.aggregateCall(fn, name)
	case fn == "SUBSTRING":
		return p.substring()
	case fn == "TRIM":
		return p.trim()
	}
	arity, ok := scalarArity[fn]
	if !ok {
		return nil, errorf(CodeParseUnsupportedCall, "Unsupported function %s at line 1, column %d.", name.text, name.pos)
	}
	args, err := p.exprList(")")
	if err != nil {
		return nil, err
	}
	if len(args) < arity[0] || arity[1] >= 0 && len(args) > arity[1] {
		return nil, errorf(CodeEvaluatorInvalidArgs, "Function %s at line 1, column %d takes %s, got %d.", fn, name.pos, arityText(arity), len(args))
	}
	return &callExpr{fn: fn, args: args}, nil
}

func arityText(a [2]int) string {
	switch {
	case a[1] < 0:
		return "at least " + itoa(a[0]) + " arguments"
	case a[0] == a[1]:
		return itoa(a[0]) + " argument(s)"
	}
	return itoa(a[0]) + " to " + itoa(a[1]) + " arguments"
}

func itoa(n int) string { return IntValue(int64(n)).Text() }

func (p *parser) aggregateCall(fn string, name token) (Expr, error) {
	if p.depth > 1 {
		return nil, errorf(CodeParseNestedAggregate, "Aggregate function %s at line 1, column %d cannot be nested in another expression here.", fn, name.pos)
	}
	a := &aggregate{fn: fn}
	p.aggs = append(p.aggs, a)
	if fn == "COUNT" && p.accept("*") {
		a.star = true
		return a, p.expect(")")
	}
	if p.peek().is(")") {
		return nil, errorf(CodeEvaluatorInvalidArgs, "Function %s at line 1, column %d takes 1 argument.", fn, name.pos)
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	a.x = x
	return a, p.expect(")")
}

// substring reads SUBSTRING(s FROM a [FOR b]) or SUBSTRING(s, a [, b]).
func (p *parser) substring() (Expr, error) {
	s, err := p.expr()
	if err != nil {
		return nil, err
	}
	args := []Expr{s}
	sep, sep2 := ",", ","
	if p.peek().is("FROM") {
		sep, sep2 = "FROM", "FOR"
	}
	if err := p.expect(sep); err != nil {
		return nil, err
	}
	from, err := p.expr()
	if err != nil {
		return nil, err
	}
	args = append(args, from)
	if p.accept(sep2) {
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, n)
	}
	return &callExpr{fn: "SUBSTRING", args: args}, p.expect(")")
}

// trim reads TRIM([[LEADING|TRAILING|BOTH] [chars] FROM] s).
func (p *parser) trim() (Expr, error) {
	e := &trimExpr{where: "BOTH"}
	for _, w := range []string{"LEADING", "TRAILING", "BOTH"} {
		if p.accept(w) {
			e.where = w
			if p.accept("FROM") {
				return p.trimSource(e)
			}
			break
		}
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.accept("FROM") {
		e.chars = x
		return p.trimSource(e)
	}
	e.x = x
	return e, p.expect(")")
}

func (p *parser) trimSource(e *trimExpr) (Expr, error) {
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	e.x = x
	return e, p.expect(")")
}
