package mount

import "strings"

// maxNameLen is the longest file name POSIX systems accept, in bytes.
const maxNameLen = 255

// validName tells whether name can be one entry of a directory.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && len(name) <= maxNameLen &&
		!strings.Contains(name, "/") && !strings.ContainsRune(name, 0)
}

// validKey tells whether every segment of a relative key (with an
// optional trailing "/") is a valid name.
func validKey(key string) bool {
	for seg := range strings.SplitSeq(strings.TrimSuffix(key, "/"), "/") {
		if !validName(seg) {
			return false
		}
	}
	return true
}
