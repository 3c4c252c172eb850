package input

import (
	"strings"
)

// Header holds the column names of a CSV file with FileHeaderInfo USE.
type Header struct {
	names []string
	exact map[string]int
	lower map[string]int
}

// NewHeader indexes column names; the first of duplicate names wins.
func NewHeader(names []string) *Header {
	h := &Header{names: names, exact: make(map[string]int, len(names)), lower: make(map[string]int, len(names))}
	for i, n := range names {
		if _, dup := h.exact[n]; !dup {
			h.exact[n] = i
		}
		l := strings.ToLower(n)
		if _, dup := h.lower[l]; !dup {
			h.lower[l] = i
		}
	}
	return h
}

// index finds a column by name.
func (h *Header) index(name string, fold bool) (int, bool) {
	if i, ok := h.exact[name]; ok {
		return i, true
	}
	if fold {
		i, ok := h.lower[strings.ToLower(name)]
		return i, ok
	}
	return 0, false
}
