package watch

import (
	"path"
	"strings"
)

// dirSet is the set of watched directories (slash-separated, relative to
// the root, "" for the root), indexed by parent so that a whole subtree is
// dropped in time proportional to its size.
type dirSet struct {
	kids map[string]map[string]struct{} // dir -> its watched child dirs
}

func newDirSet() *dirSet {
	return &dirSet{kids: map[string]map[string]struct{}{}}
}

func (s *dirSet) has(rel string) bool {
	_, ok := s.kids[rel]
	return ok
}

func (s *dirSet) len() int { return len(s.kids) }

// list returns every watched directory.
func (s *dirSet) list() []string {
	out := make([]string, 0, len(s.kids))
	for d := range s.kids {
		out = append(out, d)
	}
	return out
}

// add records rel as watched.
func (s *dirSet) add(rel string) {
	if s.has(rel) {
		return
	}
	s.kids[rel] = map[string]struct{}{}
	if rel == "" {
		return
	}
	parent := parentDir(rel)
	if k, ok := s.kids[parent]; ok {
		k[rel] = struct{}{}
	}
}

// removeTree forgets rel and every watched directory below it and
// returns them.
func (s *dirSet) removeTree(rel string) []string {
	if !s.has(rel) {
		return nil
	}
	if rel != "" {
		delete(s.kids[parentDir(rel)], rel)
	}
	var out []string
	stack := []string{rel}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for k := range s.kids[d] {
			stack = append(stack, k)
		}
		delete(s.kids, d)
		out = append(out, d)
	}
	return out
}

// parentDir returns the directory holding rel ("" at the top level).
func parentDir(rel string) string {
	if !strings.Contains(rel, "/") {
		return ""
	}
	return path.Dir(rel)
}
