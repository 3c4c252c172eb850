package ignore

import "strings"

// result is the outcome of matching part of a pattern. Besides a plain
// match or mismatch, a match can fail in a way that tells the callers
// further out that trying other splits of the text cannot help either,
// which keeps patterns with many stars from backtracking exponentially.
type result int

const (
	noMatch result = iota
	matched
	// failAll: the text ran out before the pattern did; no longer star
	// expansion can help, nor can anything else.
	failAll
	// failToDoubleStar: a single star hit a slash it cannot cross; only an
	// enclosing "**" may still succeed by taking more text.
	failToDoubleStar
)

// glob matches text against a gitignore glob. With pathname set, "*",
// "?" and classes never match a slash and "**" as a whole path segment
// matches any number of segments; without it (base-name patterns), the
// text holds no slash anyway.
func glob(pattern, text string, pathname bool) bool {
	g := globber{p: pattern, t: text, pathname: pathname}
	return g.run(0, 0) == matched
}

type globber struct {
	p, t     string
	pathname bool
}

// run matches p[pi:] against t[ti:].
func (g *globber) run(pi, ti int) result {
	for ; pi < len(g.p); pi, ti = pi+1, ti+1 {
		c := g.p[pi]
		if ti >= len(g.t) && c != '*' {
			return failAll
		}
		switch c {
		case '*':
			return g.star(pi, ti)
		case '?':
			if g.pathname && g.t[ti] == '/' {
				return noMatch
			}
		case '[':
			ok, end, valid := matchClass(g.p, pi, g.t[ti])
			if !valid {
				return failAll
			}
			if !ok || (g.pathname && g.t[ti] == '/') {
				return noMatch
			}
			pi = end
		case '\\':
			pi++
			if pi >= len(g.p) || g.t[ti] != g.p[pi] {
				return noMatch
			}
		default:
			if g.t[ti] != c {
				return noMatch
			}
		}
	}
	if ti < len(g.t) {
		return noMatch
	}
	return matched
}

// star matches a run of stars at p[pi] and whatever follows it.
func (g *globber) star(pi, ti int) result {
	next := pi + 1
	for next < len(g.p) && g.p[next] == '*' {
		next++
	}
	crossSlash := !g.pathname
	if next-pi >= 2 && g.pathname {
		crossSlash = g.wholeSegment(pi, next)
		// "**/" may also stand for no directory at all.
		if crossSlash && next < len(g.p) && g.p[next] == '/' &&
			g.run(next+1, ti) == matched {
			return matched
		}
	}
	rest := g.t[ti:]
	if next == len(g.p) {
		if !crossSlash && strings.IndexByte(rest, '/') >= 0 {
			return noMatch
		}
		return matched
	}
	if !crossSlash && g.p[next] == '/' {
		// One star then a slash: the star takes the rest of this segment.
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return noMatch
		}
		return g.run(next, ti+i)
	}
	for k := ti; k < len(g.t); k++ {
		r := g.run(next, k)
		if r == noMatch {
			if !crossSlash && g.t[k] == '/' {
				return failToDoubleStar
			}
			continue
		}
		if !crossSlash || r != failToDoubleStar {
			return r
		}
	}
	return failAll
}

// wholeSegment reports whether the stars p[start:end] form a whole path
// segment: preceded by the pattern start or a slash, followed by the
// pattern end or a (possibly escaped) slash.
func (g *globber) wholeSegment(start, end int) bool {
	if start > 0 && g.p[start-1] != '/' {
		return false
	}
	rest := g.p[end:]
	return rest == "" || rest[0] == '/' || strings.HasPrefix(rest, `\/`)
}
