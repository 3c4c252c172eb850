package ignore

import "strings"

// matchClass matches c against the bracket expression that starts at
// p[open] ('['). It returns whether c is in the set, the index of the
// closing ']' and whether the expression is well formed. A malformed
// expression (no closing bracket, an unknown [:name:]) makes the whole
// pattern match nothing, as in git.
func matchClass(p string, open int, c byte) (in bool, end int, valid bool) {
	i := open + 1
	negate := i < len(p) && (p[i] == '!' || p[i] == '^')
	if negate {
		i++
	}
	prev := -1 // the last single character, the start of a range
	for first := true; ; first, i = false, i+1 {
		if i >= len(p) {
			return false, 0, false
		}
		ch := p[i]
		if ch == ']' && !first {
			return in != negate, i, true
		}
		switch {
		case ch == '\\':
			i++
			if i >= len(p) {
				return false, 0, false
			}
			in = in || c == p[i]
			prev = int(p[i])
		case ch == '-' && prev >= 0 && i+1 < len(p) && p[i+1] != ']':
			i++
			hi := p[i]
			if hi == '\\' {
				i++
				if i >= len(p) {
					return false, 0, false
				}
				hi = p[i]
			}
			in = in || (int(c) >= prev && c <= hi)
			prev = -1
		case ch == '[' && i+1 < len(p) && p[i+1] == ':':
			name, close, ok := className(p, i)
			if close < 0 {
				return false, 0, false
			}
			if !ok {
				// "[:" without ":]" is a plain '['.
				in = in || c == '['
				prev = '['
				continue
			}
			is, known := inNamedClass(name, c)
			if !known {
				return false, 0, false
			}
			in = in || is
			i = close
			prev = -1
		default:
			in = in || c == ch
			prev = int(ch)
		}
	}
}

// className reads "[:name:]" at p[i]. close is the index of the first ']'
// after "[:" (-1 if none); ok is false when that bracket is not preceded
// by a ':' closing the name.
func className(p string, i int) (name string, close int, ok bool) {
	start := i + 2
	j := strings.IndexByte(p[start:], ']')
	if j < 0 {
		return "", -1, false
	}
	close = start + j
	body := p[start:close]
	if body == "" || body[len(body)-1] != ':' {
		return "", close, false
	}
	return body[:len(body)-1], close, true
}

// inNamedClass tests c against a POSIX character class (ASCII only).
func inNamedClass(name string, c byte) (in, known bool) {
	upper := 'A' <= c && c <= 'Z'
	lower := 'a' <= c && c <= 'z'
	digit := '0' <= c && c <= '9'
	graph := 0x21 <= c && c <= 0x7e
	switch name {
	case "alnum":
		return upper || lower || digit, true
	case "alpha":
		return upper || lower, true
	case "blank":
		return c == ' ' || c == '\t', true
	case "cntrl":
		return c < 0x20 || c == 0x7f, true
	case "digit":
		return digit, true
	case "graph":
		return graph, true
	case "lower":
		return lower, true
	case "print":
		return graph || c == ' ', true
	case "punct":
		return graph && !upper && !lower && !digit, true
	case "space":
		return c == ' ' || ('\t' <= c && c <= '\r'), true
	case "upper":
		return upper, true
	case "xdigit":
		return digit || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F'), true
	}
	return false, false
}
