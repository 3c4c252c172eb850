package history

import (
	"errors"
	"strings"

	"github.com/cairnfs/cairn/sync/ignore"
)

// tmpPrefix starts the name of every file a restore writes before it
// renames it into place: the prefix the sync always ignores.
const tmpPrefix = ignore.TempPrefix

// IsTemp tells whether a file name is that of a restore's unfinished file.
func IsTemp(name string) bool { return strings.HasPrefix(name, tmpPrefix) }

// relPath returns the slash-separated local path, under base, of the
// part rel of a key below the restored prefix, and whether it is a
// directory marker ("" is the marker of the prefix itself). Keys that cannot be local paths fail: an empty
// segment ("a//b", "/a"), "." or "..", or a NUL byte.
func relPath(base, rel string) (string, bool, error) {
	if rel == "" {
		return base, true, nil // the marker of the restored folder itself
	}
	dir := strings.HasSuffix(rel, "/")
	rel = strings.TrimSuffix(rel, "/")
	if rel == "" {
		return "", dir, errors.New("key has an empty path segment (a leading or doubled \"/\")")
	}
	if strings.ContainsRune(rel, 0) {
		return "", dir, errors.New("key holds a NUL byte")
	}
	for seg := range strings.SplitSeq(rel, "/") {
		switch seg {
		case "":
			return "", dir, errors.New("key has an empty path segment (a leading or doubled \"/\")")
		case ".", "..":
			return "", dir, errors.New("key has a \".\" or \"..\" path segment")
		}
	}
	return joinRel(base, rel), dir, nil
}

// joinRel joins slash-separated relative paths; "" is the root.
func joinRel(base, rel string) string {
	switch {
	case base == "":
		return rel
	case rel == "":
		return base
	}
	return base + "/" + rel
}

// parents yields the directories above p, outermost first ("a", "a/b"
// for "a/b/c").
func parents(p string) []string {
	var out []string
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i])
		}
	}
	return out
}

// osPath is p as an os.Root name: "." for the root itself.
func osPath(p string) string {
	if p == "" {
		return "."
	}
	return p
}

// firstSegment is the first element of a slash path.
func firstSegment(p string) string {
	first, _, _ := strings.Cut(p, "/")
	return first
}
