package sql

import "unicode/utf8"

// like is [NOT] LIKE pattern [ESCAPE c]: % matches any run of
// characters, _ any one.
type like struct {
	x, pattern, escape Expr
	not                bool
	// compiled is the pattern when it and the escape are constants.
	compiled []likeToken
}

// likeToken is one element of a pattern: a literal character, or _ (one)
// or % (any run).
type likeToken struct {
	r        rune
	one, any bool
}

// precompile compiles a constant pattern once, and checks it.
func (e *like) precompile() error {
	pl, ok := e.pattern.(*literal)
	if !ok {
		return nil
	}
	var esc Value
	if e.escape != nil {
		el, ok := e.escape.(*literal)
		if !ok {
			return nil
		}
		esc = el.v
	}
	if pl.v.IsAbsent() {
		return nil
	}
	toks, err := compileLike(pl.v, esc)
	e.compiled = toks
	return err
}

func (e *like) eval(rec Record) (Value, error) {
	v, err := e.x.eval(rec)
	if err != nil || v.IsAbsent() {
		return NullValue, err
	}
	toks := e.compiled
	if toks == nil {
		if toks, err = e.compile(rec); err != nil || toks == nil {
			return NullValue, err
		}
	}
	return BoolValue(matchLike(toks, v.Text()) != e.not), nil
}

// compile compiles a pattern that depends on the record; nil when it is
// NULL.
func (e *like) compile(rec Record) ([]likeToken, error) {
	pv, err := e.pattern.eval(rec)
	if err != nil || pv.IsAbsent() {
		return nil, err
	}
	var esc Value
	if e.escape != nil {
		if esc, err = e.escape.eval(rec); err != nil {
			return nil, err
		}
	}
	return compileLike(pv, esc)
}

func compileLike(pattern, escape Value) ([]likeToken, error) {
	var escR rune = -1
	if !escape.IsAbsent() {
		s := escape.Text()
		if utf8.RuneCountInString(s) != 1 {
			return nil, errorf(CodeLikeInvalidInputs, "The ESCAPE of LIKE must be one character, not %q.", s)
		}
		escR, _ = utf8.DecodeRuneInString(s)
	}
	p := []rune(pattern.Text())
	toks := make([]likeToken, 0, len(p)+1)
	for i := 0; i < len(p); i++ {
		switch r := p[i]; {
		case r == escR:
			if i+1 >= len(p) {
				return nil, errorf(CodeLikeInvalidInputs, "The LIKE pattern %q ends with its escape character.", string(p))
			}
			i++
			toks = append(toks, likeToken{r: p[i]})
		case r == '%':
			if len(toks) == 0 || !toks[len(toks)-1].any {
				toks = append(toks, likeToken{any: true})
			}
		case r == '_':
			toks = append(toks, likeToken{one: true})
		default:
			toks = append(toks, likeToken{r: r})
		}
	}
	return toks, nil
}

// matchLike matches s against a compiled pattern, backtracking to the
// last % only (linear in practice).
func matchLike(toks []likeToken, s string) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for si < len(s) {
		r, size := utf8.DecodeRuneInString(s[si:])
		switch {
		case ti < len(toks) && toks[ti].any:
			starT, starS = ti, si
			ti++
			continue
		case ti < len(toks) && (toks[ti].one || toks[ti].r == r):
			ti++
			si += size
			continue
		case starT >= 0:
			ti = starT + 1
			_, size = utf8.DecodeRuneInString(s[starS:])
			starS += size
			si = starS
			continue
		}
		return false
	}
	for ti < len(toks) && toks[ti].any {
		ti++
	}
	return ti == len(toks)
}
