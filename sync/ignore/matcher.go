package ignore

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Options tunes a Matcher.
type Options struct {
	// NoDefaults drops the built-in patterns for editor, office and
	// operating-system temporary files. The state directory and cairn's own
	// temporary files stay ignored.
	NoDefaults bool
	// Extra holds more patterns in .cairnignore syntax, relative to the
	// root (for example from --exclude flags). They take precedence over
	// every .cairnignore file.
	Extra []string
	// Logger receives warnings about .cairnignore files that cannot be
	// read. Nil means slog.Default().
	Logger *slog.Logger
}

// Matcher decides which paths under a root the sync skips. It is safe for
// concurrent use.
type Matcher struct {
	root     string
	log      *slog.Logger
	extra    []pattern // highest precedence
	defaults []pattern // lowest precedence

	mu      sync.Mutex
	files   map[string][]pattern // directory -> patterns of its ignore file
	ignored map[string]bool      // directory -> whether it is ignored
}

// New returns a Matcher for the tree at root. It reads root's .cairnignore
// at once; nested ones are read the first time a path below them is
// matched.
func New(root string, opts Options) (*Matcher, error) {
	m := &Matcher{root: root, log: opts.Logger}
	if m.log == nil {
		m.log = slog.Default()
	}
	if !opts.NoDefaults {
		for _, line := range defaultPatterns() {
			m.defaults = append(m.defaults, newPattern(line, ""))
		}
	}
	for _, line := range opts.Extra {
		if p, ok := parseLine(line, ""); ok {
			m.extra = append(m.extra, p)
		}
	}
	if err := m.Reload(); err != nil {
		return nil, err
	}
	return m, nil
}

// Reload forgets every .cairnignore read so far and re-reads the root's.
// Call it after a .cairnignore file changes.
func (m *Matcher) Reload() error {
	rules, err := readFile(m.root, "")
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files = map[string][]pattern{"": rules}
	m.ignored = map[string]bool{}
	return nil
}

// Match reports whether the sync skips rel, a slash-separated path relative
// to the root; isDir tells whether it is a directory (a symbolic link is
// not). A path below an ignored directory is ignored, and a pattern cannot
// re-include it. The root itself is never ignored.
func (m *Matcher) Match(rel string, isDir bool) bool {
	rel = cleanRel(rel)
	if rel == "" {
		return false
	}
	if alwaysIgnored(rel) {
		return true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	stack := [][]pattern{m.files[""]}
	for i := strings.IndexByte(rel, '/'); i >= 0; {
		dir := rel[:i]
		if m.dirIgnored(dir, stack) {
			return true
		}
		stack = append(stack, m.load(dir))
		next := strings.IndexByte(rel[i+1:], '/')
		if next < 0 {
			break
		}
		i += next + 1
	}
	return m.decide(rel, isDir, stack)
}

// dirIgnored decides (once) whether directory dir is ignored, given the
// ignore files of its ancestors.
func (m *Matcher) dirIgnored(dir string, stack [][]pattern) bool {
	if v, ok := m.ignored[dir]; ok {
		return v
	}
	v := m.decide(dir, true, stack)
	m.ignored[dir] = v
	return v
}

// decide applies the pattern lists in precedence order: Extra, then the
// ignore files from the deepest directory up, then the defaults. The last
// matching pattern of the first list with a match decides.
func (m *Matcher) decide(rel string, isDir bool, stack [][]pattern) bool {
	name := path.Base(rel)
	if v, ok := lastMatch(m.extra, rel, name, isDir); ok {
		return v
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if v, ok := lastMatch(stack[i], rel, name, isDir); ok {
			return v
		}
	}
	v, _ := lastMatch(m.defaults, rel, name, isDir)
	return v
}

// load returns the patterns of dir's ignore file, reading it on first use.
func (m *Matcher) load(dir string) []pattern {
	if rules, ok := m.files[dir]; ok {
		return rules
	}
	rules, err := readFile(m.root, dir)
	if err != nil {
		m.log.Warn("ignore file skipped", "err", err)
	}
	m.files[dir] = rules
	return rules
}

// readFile parses the ignore file of directory dir under root. A missing
// file, or one that is not a regular file (a symbolic link is not
// followed), holds no patterns.
func readFile(root, dir string) ([]pattern, error) {
	name := filepath.Join(root, filepath.FromSlash(dir), FileName)
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read ignore file %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, nil
	}
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read ignore file %s: %w", name, err)
	}
	return parseLines(data, dir), nil
}

// cleanRel normalises a relative path: no leading "./" or "/", no
// trailing slash, "" for the root. A path leaving the root yields "".
func cleanRel(rel string) string {
	rel = path.Clean("/" + filepath.ToSlash(rel))
	return strings.TrimPrefix(rel, "/")
}

// alwaysIgnored reports whether rel is the sync's state directory, cairn's
// temporary file, or lies below one of them. No option or pattern changes
// this.
func alwaysIgnored(rel string) bool {
	if rel == StateDir || strings.HasPrefix(rel, StateDir+"/") {
		return true
	}
	for elem := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(elem, TempPrefix) {
			return true
		}
	}
	return false
}
