package policy

import "strings"

// match reports whether s matches pattern, where * matches any run of
// characters (also none) and ? any one character. It runs in
// O(len(pattern)·len(s)) at worst, with no recursion.
func match(pattern, str string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == str
	}
	return matchRunes([]rune(pattern), []rune(str))
}

func matchRunes(pattern, s []rune) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchFold is match ignoring ASCII case, as action names are compared.
func matchFold(pattern, s string) bool {
	return match(strings.ToLower(pattern), strings.ToLower(s))
}
