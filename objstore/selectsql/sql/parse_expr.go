package sql

import (
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of expressions so that a hostile query
// cannot exhaust the stack.
const maxDepth = 200

func (p *parser) expr() (Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errorf("ExpressionTooLong", "The SQL expression nests deeper than %d levels.", maxDepth)
	}
	return p.or()
}

func (p *parser) or() (Expr, error) {
	l, err := p.and()
	for err == nil && p.accept("OR") {
		var r Expr
		if r, err = p.and(); err == nil {
			l = &logical{or: true, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) and() (Expr, error) {
	l, err := p.not()
	for err == nil && p.accept("AND") {
		var r Expr
		if r, err = p.not(); err == nil {
			l = &logical{l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) not() (Expr, error) {
	if p.accept("NOT") {
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &notExpr{x: x}, nil
	}
	return p.predicate()
}

// compareOps are the comparison operators.
var compareOps = map[string]bool{"=": true, "!=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) predicate() (Expr, error) {
	x, err := p.concat()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tokOp && compareOps[t.text] {
		p.i++
		r, err := p.concat()
		if err != nil {
			return nil, err
		}
		return newCompare(t.text, x, r), nil
	}
	if p.accept("IS") {
		return p.isPredicate(x)
	}
	neg := p.accept("NOT")
	switch {
	case p.accept("LIKE"):
		return p.likePredicate(x, neg)
	case p.accept("IN"):
		return p.inPredicate(x, neg)
	case p.accept("BETWEEN"):
		return p.betweenPredicate(x, neg)
	}
	if neg {
		return nil, p.unexpected("expected LIKE, IN or BETWEEN after NOT")
	}
	return x, nil
}

func (p *parser) isPredicate(x Expr) (Expr, error) {
	e := &isExpr{x: x, not: p.accept("NOT")}
	switch {
	case p.accept("NULL"):
	case p.accept("MISSING"):
		e.missing = true
	default:
		return nil, p.unexpected("expected NULL or MISSING after IS")
	}
	return e, nil
}

func (p *parser) likePredicate(x Expr, neg bool) (Expr, error) {
	pat, err := p.concat()
	if err != nil {
		return nil, err
	}
	e := &like{x: x, pattern: pat, not: neg}
	if p.accept("ESCAPE") {
		if e.escape, err = p.concat(); err != nil {
			return nil, err
		}
	}
	return e, e.precompile()
}

func (p *parser) inPredicate(x Expr, neg bool) (Expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	list, err := p.exprList(")")
	if err != nil {
		return nil, err
	}
	return &inExpr{x: x, list: list, not: neg}, nil
}

func (p *parser) betweenPredicate(x Expr, neg bool) (Expr, error) {
	lo, err := p.concat()
	if err != nil {
		return nil, err
	}
	if err := p.expect("AND"); err != nil {
		return nil, err
	}
	hi, err := p.concat()
	if err != nil {
		return nil, err
	}
	return &between{x: x, lo: lo, hi: hi, not: neg}, nil
}

// exprList reads expressions separated by commas up to the closing token.
func (p *parser) exprList(closing string) ([]Expr, error) {
	var list []Expr
	if p.accept(closing) {
		return list, nil
	}
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		list = append(list, e)
		if p.accept(closing) {
			return list, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

func (p *parser) concat() (Expr, error) {
	l, err := p.additive()
	for err == nil && p.accept("||") {
		var r Expr
		if r, err = p.additive(); err == nil {
			l = &concatExpr{l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) additive() (Expr, error) {
	l, err := p.multiplicative()
	for err == nil {
		t := p.peek()
		if !t.is("+") && !t.is("-") {
			break
		}
		p.i++
		var r Expr
		if r, err = p.multiplicative(); err == nil {
			l = &arith{op: t.text[0], l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) multiplicative() (Expr, error) {
	l, err := p.unary()
	for err == nil {
		t := p.peek()
		if !t.is("*") && !t.is("/") && !t.is("%") {
			break
		}
		p.i++
		var r Expr
		if r, err = p.unary(); err == nil {
			l = &arith{op: t.text[0], l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) unary() (Expr, error) {
	if p.accept("-") {
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if l, ok := x.(*literal); ok && (l.v.Kind == Int || l.v.Kind == Float) {
			l.v.I, l.v.F = -l.v.I, -l.v.F
			return l, nil
		}
		return &arith{op: '-', l: &literal{v: IntValue(0)}, r: x}, nil
	}
	if p.accept("+") {
		return p.unary()
	}
	return p.primary()
}

func (p *parser) primary() (Expr, error) {
	t := p.next()
	switch t.kind {
	case tokString:
		return &literal{v: StringValue(t.text)}, nil
	case tokNumber:
		v, ok := parseNumber(t.text)
		if !ok {
			return nil, errorf(CodeLexerInvalidLiteral, "Invalid number %s at line 1, column %d.", t.text, t.pos)
		}
		return &literal{v: v}, nil
	case tokQuotedIdent:
		p.unread(t)
		return p.columnRef()
	case tokOp:
		if t.text == "(" {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			return e, p.expect(")")
		}
	case tokIdent:
		return p.identPrimary(t)
	}
	p.unread(t)
	return nil, errorf(CodeParseExpectedExpr, "Expected an expression at line 1, column %d, found %s.", t.pos, t.describe())
}

// identPrimary reads what starts with a bare word: a keyword literal, a
// function call, CAST or a column.
func (p *parser) identPrimary(t token) (Expr, error) {
	switch strings.ToUpper(t.text) {
	case "NULL":
		return &literal{v: NullValue}, nil
	case "MISSING":
		return &literal{v: MissingValue}, nil
	case "TRUE":
		return &literal{v: BoolValue(true)}, nil
	case "FALSE":
		return &literal{v: BoolValue(false)}, nil
	case "CAST":
		return p.cast()
	}
	if isReserved(t) {
		p.unread(t)
		return nil, errorf(CodeParseExpectedExpr, "Expected an expression at line 1, column %d, found keyword %s.", t.pos, t.text)
	}
	if p.peek().is("(") {
		p.i++
		return p.call(t)
	}
	p.unread(t)
	return p.columnRef()
}

// columnRef reads a column: a name or _N, and any path steps after it.
func (p *parser) columnRef() (Expr, error) {
	t := p.next()
	first := Step{Name: t.text, Quoted: t.kind == tokQuotedIdent, Index: -1}
	rest, err := p.pathSteps()
	if err != nil {
		return nil, err
	}
	c := &column{steps: append([]Step{first}, rest...)}
	if !first.Quoted && len(rest) == 0 {
		if n, ok := positional(first.Name); ok && n < 1 {
			return nil, errorf(CodeInvalidColumnIndex, "The column index at line 1, column %d is invalid: %s. Column indexes start at _1.", t.pos, t.text)
		}
	}
	c.init()
	p.columns = append(p.columns, c)
	return c, nil
}

// positional reads the column number of a name like _3.
func positional(name string) (int, bool) {
	if len(name) < 2 || name[0] != '_' {
		return 0, false
	}
	n, err := strconv.Atoi(name[1:])
	if err != nil || name[1] == '+' || name[1] == '-' {
		return 0, false
	}
	return n, true
}

// castTypes maps the type names of CAST to kinds.
var castTypes = map[string]Kind{
	"INT": Int, "INTEGER": Int, "BIGINT": Int, "FLOAT": Float, "DOUBLE": Float, "REAL": Float,
	"DECIMAL": Float, "NUMERIC": Float, "STRING": String, "VARCHAR": String, "CHAR": String,
	"BOOL": Bool, "BOOLEAN": Bool, "TIMESTAMP": Timestamp,
}

func (p *parser) cast() (Expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect("AS"); err != nil {
		return nil, err
	}
	t := p.next()
	kind, ok := castTypes[strings.ToUpper(t.text)]
	if t.kind != tokIdent || !ok {
		return nil, errorf(CodeParseInvalidType, "Unsupported type %s in CAST at line 1, column %d.", t.describe(), t.pos)
	}
	if p.accept("(") { // DECIMAL(10,2), VARCHAR(20): the precision is ignored.
		if _, err := p.exprList(")"); err != nil {
			return nil, err
		}
	}
	return &castExpr{x: x, to: kind}, p.expect(")")
}
