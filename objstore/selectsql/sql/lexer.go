package sql

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a token.
type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokIdent
	tokQuotedIdent
	tokString
	tokNumber
	tokOp
)

// token is one lexeme of a query; pos is its 1-based column.
type token struct {
	kind tokenKind
	text string
	pos  int
}

// describe names a token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokString:
		return "'" + t.text + "'"
	case tokQuotedIdent:
		return `"` + t.text + `"`
	}
	return t.text
}

// is tells whether t is the keyword or operator s (keywords match in any case).
func (t token) is(s string) bool {
	switch t.kind {
	case tokIdent:
		return strings.EqualFold(t.text, s)
	case tokOp:
		return t.text == s
	}
	return false
}

// twoCharOps are the operators of two characters.
var twoCharOps = []string{"<=", ">=", "<>", "!=", "||", "[*]"}

// lex splits a query into tokens, ending with a tokEOF.
func lex(q string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(q) {
		c := q[i]
		start := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			s, n, err := lexQuoted(q[i:], '\'', start)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, s, start})
			i += n
		case c == '"':
			s, n, err := lexQuoted(q[i:], '"', start)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokQuotedIdent, s, start})
			i += n
		case isDigit(c) || c == '.' && i+1 < len(q) && isDigit(q[i+1]):
			n := lexNumber(q[i:])
			toks = append(toks, token{tokNumber, q[i : i+n], start})
			i += n
		case c == '_' || c < utf8.RuneSelf && unicode.IsLetter(rune(c)) || c >= utf8.RuneSelf:
			n := lexIdent(q[i:])
			if n == 0 {
				r, _ := utf8.DecodeRuneInString(q[i:])
				return nil, errorf(CodeLexerInvalidChar, "Invalid character %q at line 1, column %d.", r, start)
			}
			toks = append(toks, token{tokIdent, q[i : i+n], start})
			i += n
		default:
			op := lexOp(q[i:])
			if op == "" {
				return nil, errorf(CodeLexerInvalidChar, "Invalid character %q at line 1, column %d.", rune(c), start)
			}
			toks = append(toks, token{tokOp, op, start})
			i += len(op)
		}
	}
	return append(toks, token{tokEOF, "", len(q) + 1}), nil
}

// lexQuoted reads a literal quoted by q, where two q stand for one.
func lexQuoted(s string, q byte, pos int) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			b.WriteByte(q)
			i++
			continue
		}
		return b.String(), i + 1, nil
	}
	return "", 0, errorf(CodeLexerInvalidLiteral, "Unterminated quoted literal starting at line 1, column %d.", pos)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexNumber measures an integer or decimal literal with an optional exponent.
func lexNumber(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

// lexIdent measures an unquoted identifier.
func lexIdent(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if r != '_' && !unicode.IsLetter(r) && !(n > 0 && unicode.IsDigit(r)) {
			break
		}
		n += size
	}
	return n
}

// lexOp reads an operator or punctuation mark.
func lexOp(s string) string {
	for _, op := range twoCharOps {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	if strings.ContainsRune("=<>+-*/%(),.[]", rune(s[0])) {
		return s[:1]
	}
	return ""
}
