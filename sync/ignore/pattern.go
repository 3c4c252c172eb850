package ignore

import "strings"

// pattern is one parsed line of an ignore file.
type pattern struct {
	glob     string // the pattern without its '!' and trailing '/'
	literal  int    // length of the leading part of glob free of wildcards
	negate   bool   // "!pat": re-include what an earlier pattern ignored
	dirOnly  bool   // "pat/": matches directories only
	baseName bool   // no slash: matches the last path element at any depth
	base     string // directory of the ignore file, relative to the root
}

// parseLines parses the content of an ignore file whose directory is base
// ("" for the root). Lines that hold no pattern are skipped; nothing in the
// content is an error.
func parseLines(data []byte, base string) []pattern {
	text := string(data)
	text = strings.TrimPrefix(text, "\ufeff")
	var out []pattern
	for line := range strings.SplitSeq(text, "\n") {
		if p, ok := parseLine(line, base); ok {
			out = append(out, p)
		}
	}
	return out
}

// parseLine parses one line. It reports false for blank lines and
// comments.
func parseLine(line, base string) (pattern, bool) {
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	if line == "" || line[0] == '#' {
		return pattern{}, false
	}
	return newPattern(strings.TrimSuffix(line, "\r"), base), true
}

// newPattern compiles one pattern: trailing spaces, a leading '!' and a
// trailing '/' are taken off and recorded.
func newPattern(line, base string) pattern {
	line = trimTrailingSpaces(line)
	p := pattern{base: base}
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = line[:len(line)-1]
	}
	p.glob = line
	p.baseName = !strings.Contains(line, "/")
	p.literal = strings.IndexAny(line, `*?[\`)
	if p.literal < 0 {
		p.literal = len(line)
	}
	return p
}

// trimTrailingSpaces drops trailing spaces unless a backslash quotes them.
// A line ending in a lone backslash keeps all its spaces.
func trimTrailingSpaces(s string) string {
	cut := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if cut < 0 {
				cut = i
			}
		case '\\':
			i++
			if i >= len(s) {
				return s
			}
			cut = -1
		default:
			cut = -1
		}
	}
	if cut >= 0 {
		return s[:cut]
	}
	return s
}

// match reports whether the pattern applies to path (relative to the
// root, with its last element name).
func (p *pattern) match(path, name string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	if p.baseName {
		return glob(p.glob, name, false)
	}
	return p.matchPath(path)
}

// matchPath matches a pattern holding a slash against the path relative
// to the pattern's directory. The wildcard-free head is compared first and
// cut from both sides, as git does.
func (p *pattern) matchPath(path string) bool {
	pat, literal := p.glob, p.literal
	if strings.HasPrefix(pat, "/") {
		pat, literal = pat[1:], literal-1
	}
	if p.base != "" {
		rest, ok := strings.CutPrefix(path, p.base+"/")
		if !ok {
			return false
		}
		path = rest
	}
	if literal > 0 {
		if literal > len(path) || pat[:literal] != path[:literal] {
			return false
		}
		pat, path = pat[literal:], path[literal:]
		if pat == "" && path == "" {
			return true
		}
	}
	return glob(pat, path, true)
}

// lastMatch returns the verdict of the last pattern in list that applies
// to path, and whether any did.
func lastMatch(list []pattern, path, name string, isDir bool) (ignored, found bool) {
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].match(path, name, isDir) {
			return !list[i].negate, true
		}
	}
	return false, false
}
