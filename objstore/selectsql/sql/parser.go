package sql

import (
	"strconv"
	"strings"
)

// maxQueryLength is the longest SQL expression S3 accepts (256 KiB).
const maxQueryLength = 256 << 10

// parser reads tokens into a Query.
type parser struct {
	toks    []token
	i       int
	columns []*column
	aggs    []*aggregate
	depth   int
}

// Parse reads an S3 Select SQL statement.
func Parse(q string) (*Query, error) {
	if len(q) > maxQueryLength {
		return nil, errorf("ExpressionTooLong", "The SQL expression is %d bytes, over the %d allowed.", len(q), maxQueryLength)
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	return p.query()
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// unread steps back over t, which next returned (the end of the query
// is never consumed, so there is nothing to step back over).
func (p *parser) unread(t token) {
	if t.kind != tokEOF {
		p.i--
	}
}

// accept consumes the keyword or operator s when it comes next.
func (p *parser) accept(s string) bool {
	if p.peek().is(s) {
		p.i++
		return true
	}
	return false
}

// expect consumes the keyword or operator s or fails.
func (p *parser) expect(s string) error {
	if p.accept(s) {
		return nil
	}
	return p.unexpected("expected " + s)
}

// unexpected reports the next token as out of place.
func (p *parser) unexpected(what string) error {
	t := p.peek()
	return errorf(CodeParseUnexpectedToken, "Unexpected token %s at line 1, column %d: %s.", t.describe(), t.pos, what)
}

// reserved are the keywords that cannot be a bare alias or column name.
var reserved = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "LIMIT": true, "AND": true, "OR": true,
	"NOT": true, "AS": true, "LIKE": true, "IN": true, "BETWEEN": true, "IS": true,
	"NULL": true, "MISSING": true, "TRUE": true, "FALSE": true, "CAST": true, "ESCAPE": true,
}

func isReserved(t token) bool {
	return t.kind == tokIdent && reserved[strings.ToUpper(t.text)]
}

func (p *parser) query() (*Query, error) {
	q := &Query{Limit: -1}
	if err := p.expect("SELECT"); err != nil {
		return nil, err
	}
	if err := p.selectList(q); err != nil {
		return nil, err
	}
	if err := p.expect("FROM"); err != nil {
		return nil, err
	}
	if err := p.from(q); err != nil {
		return nil, err
	}
	q.aggs = p.aggs
	if p.accept("WHERE") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		q.Where = e
		if len(p.aggs) > len(q.aggs) {
			return nil, errorf("ParseUnsupportedSyntax", "Aggregate functions are not allowed in the WHERE clause.")
		}
	}
	if p.accept("LIMIT") {
		if err := p.limit(q); err != nil {
			return nil, err
		}
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected("expected end of query")
	}
	p.resolveAlias(q.Alias)
	return q, nil
}

func (p *parser) limit(q *Query) error {
	neg := p.accept("-")
	t := p.next()
	if t.kind != tokNumber {
		p.unread(t)
		return p.unexpected("expected a number after LIMIT")
	}
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return errorf(CodeLexerInvalidLiteral, "LIMIT %s at line 1, column %d is not an integer.", t.text, t.pos)
	}
	if neg {
		return errorf(CodeNegativeLimit, "LIMIT must not be negative.")
	}
	q.Limit = n
	return nil
}

func (p *parser) selectList(q *Query) error {
	if p.accept("*") {
		if p.peek().is(",") {
			return errorf(CodeParseAsteriskNotAlone, "Other expressions are not allowed in the SELECT list when '*' is used without dot notation.")
		}
		q.Star = true
		return nil
	}
	for {
		before := len(p.aggs)
		it, err := p.item()
		if err != nil {
			return err
		}
		if len(p.aggs) > before {
			if len(q.Items) > 0 && !q.Aggregate {
				return errorf(CodeParseAggregateMix, "Aggregate and non-aggregate expressions cannot be mixed in the SELECT list.")
			}
			q.Aggregate = true
		} else if q.Aggregate {
			return errorf(CodeParseAggregateMix, "Aggregate and non-aggregate expressions cannot be mixed in the SELECT list.")
		}
		q.Items = append(q.Items, it)
		if !p.accept(",") {
			return nil
		}
		if p.peek().is("*") {
			return errorf(CodeParseAsteriskNotAlone, "Other expressions are not allowed in the SELECT list when '*' is used without dot notation.")
		}
	}
}

func (p *parser) item() (Item, error) {
	e, err := p.expr()
	if err != nil {
		return Item{}, err
	}
	it := Item{Expr: e}
	if c, ok := e.(*column); ok {
		it.Name = c.outputName()
	}
	if p.accept("AS") {
		t := p.next()
		if t.kind != tokIdent && t.kind != tokQuotedIdent || isReserved(t) {
			p.unread(t)
			return it, p.unexpected("expected an alias after AS")
		}
		it.Name = t.text
	} else if t := p.peek(); (t.kind == tokIdent || t.kind == tokQuotedIdent) && !isReserved(t) {
		p.i++
		it.Name = t.text
	}
	return it, nil
}

// from reads S3Object, its optional JSON path and its alias.
func (p *parser) from(q *Query) error {
	t := p.next()
	if !t.is("S3Object") {
		p.unread(t)
		return p.unexpected("expected S3Object")
	}
	if p.accept("[*]") {
		steps, err := p.pathSteps()
		if err != nil {
			return err
		}
		q.Path = steps
	} else if p.peek().is(".") || p.peek().is("[") {
		return p.unexpected("a path after S3Object starts with [*]")
	}
	p.accept("AS")
	if t := p.peek(); (t.kind == tokIdent || t.kind == tokQuotedIdent) && !isReserved(t) {
		p.i++
		q.Alias = t.text
	}
	return nil
}

// pathSteps reads .name, [n] and [*] steps.
func (p *parser) pathSteps() ([]Step, error) {
	var steps []Step
	for {
		switch {
		case p.accept("."):
			t := p.next()
			if t.kind != tokIdent && t.kind != tokQuotedIdent {
				p.unread(t)
				return nil, p.unexpected("expected a field name after '.'")
			}
			steps = append(steps, Step{Name: t.text, Quoted: t.kind == tokQuotedIdent, Index: -1})
		case p.accept("[*]"):
			steps = append(steps, Step{Wildcard: true, Index: -1})
		case p.accept("["):
			t := p.next()
			n, err := strconv.Atoi(t.text)
			if t.kind != tokNumber || err != nil {
				p.unread(t)
				return nil, p.unexpected("expected a list index")
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			steps = append(steps, Step{Index: n})
		default:
			return steps, nil
		}
	}
}

// resolveAlias drops the table alias (or S3Object) from the front of
// every column path.
func (p *parser) resolveAlias(alias string) {
	for _, c := range p.columns {
		if len(c.steps) < 2 || c.steps[0].Index >= 0 || c.steps[0].Wildcard {
			continue
		}
		first := c.steps[0].Name
		if alias != "" && strings.EqualFold(first, alias) || strings.EqualFold(first, "S3Object") {
			c.steps = c.steps[1:]
			c.init()
		}
	}
}
