package ignore

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNestedFileAndReload checks that a .cairnignore in a subdirectory
// applies below it only, and that Reload picks up an edited file.
func TestNestedFileAndReload(t *testing.T) {
	root := t.TempDir()
	mustMkdir(t, filepath.Join(root, "sub", "deeper"))
	mustWrite(t, filepath.Join(root, FileName), "*.log\n")
	mustWrite(t, filepath.Join(root, "sub", FileName), "/local.txt\n!keep.log\n")
	m := newMatcher(t, root, Options{NoDefaults: true})

	cases := map[string]bool{
		"a.log":                true,
		"sub/keep.log":         false,
		"sub/deeper/keep.log":  false,
		"sub/other.log":        true,
		"sub/local.txt":        true,
		"sub/deeper/local.txt": false,
		"local.txt":            false,
	}
	for p, want := range cases {
		if got := m.Match(p, false); got != want {
			t.Errorf("Match(%q) = %v, want %v", p, got, want)
		}
	}

	mustWrite(t, filepath.Join(root, "sub", FileName), "")
	if !m.Match("sub/local.txt", false) {
		t.Fatalf("cached rules forgotten before Reload")
	}
	if err := m.Reload(); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if m.Match("sub/local.txt", false) || !m.Match("sub/keep.log", false) {
		t.Errorf("Reload did not apply the edited sub/%s", FileName)
	}
}

// TestPrecedence checks Extra > .cairnignore > defaults.
func TestPrecedence(t *testing.T) {
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, FileName), "!*.tmp\nsecret.txt\n")
	m := newMatcher(t, root, Options{Extra: []string{"!secret.txt", "*.bak"}})
	if m.Match("draft.tmp", false) {
		t.Errorf("a .cairnignore negation does not override a default")
	}
	if m.Match("secret.txt", false) {
		t.Errorf("an Extra negation does not override .cairnignore")
	}
	if !m.Match("a/b.bak", false) {
		t.Errorf("Extra pattern not applied")
	}
	if !m.Match(".x.swp", false) {
		t.Errorf("defaults lost when a .cairnignore exists")
	}
}

// TestIgnoredDirHidesContents checks that nothing below an ignored
// directory can be re-included, and that its .cairnignore is not read.
func TestIgnoredDirHidesContents(t *testing.T) {
	root := t.TempDir()
	mustMkdir(t, filepath.Join(root, "cache"))
	mustWrite(t, filepath.Join(root, FileName), "cache/\n!cache/keep\n")
	mustWrite(t, filepath.Join(root, "cache", FileName), "!*\n")
	m := newMatcher(t, root, Options{NoDefaults: true})
	if !m.Match("cache/keep", false) || !m.Match("cache/x/y", true) {
		t.Errorf("a path below an ignored directory is synced")
	}
	if m.Match("cache", false) {
		t.Errorf("dir-only pattern matched a file")
	}
}

// TestOddInput checks that odd paths and unreadable or hostile ignore
// files neither crash nor error.
func TestOddInput(t *testing.T) {
	root := t.TempDir()
	mustMkdir(t, filepath.Join(root, "d"))
	mustMkdir(t, filepath.Join(root, "link"))
	mustWrite(t, filepath.Join(root, FileName), "[\n[[:nope:]]\n\\\n!\n/\n**\x00x\n***/\n[z-a]\n\xff\xfe\n")
	if err := os.Symlink(filepath.Join(root, FileName), filepath.Join(root, "link", FileName)); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, filepath.Join(root, "d", FileName)) // a directory, not a file
	m := newMatcher(t, root, Options{NoDefaults: true})
	for _, p := range []string{"", ".", "/", "./a", "a/", "d/x", "link/x", "\xff"} {
		_ = m.Match(p, false)
	}
	if m.Match("", true) || m.Match(".", true) {
		t.Errorf("the root is ignored")
	}
	if !m.Match("./a//b/", false) {
		t.Errorf(`"**" on its own line does not ignore everything`)
	}
}

// TestMissingRoot checks that a root without an ignore file, or missing
// altogether, is fine.
func TestMissingRoot(t *testing.T) {
	m := newMatcher(t, filepath.Join(t.TempDir(), "gone"), Options{})
	if m.Match("a.txt", false) || !m.Match("a.tmp", false) {
		t.Errorf("defaults wrong for a missing root")
	}
}

// TestIgnoreFileIsDir checks that a directory named like the ignore file
// is skipped, not an error.
func TestIgnoreFileIsDir(t *testing.T) {
	root := t.TempDir()
	mustMkdir(t, filepath.Join(root, FileName, "x"))
	m := newMatcher(t, root, Options{NoDefaults: true})
	if m.Match("a", false) {
		t.Errorf("a path is ignored with no patterns")
	}
}

// TestGlob covers matcher corner cases git also decides this way.
func TestGlob(t *testing.T) {
	cases := []struct {
		pat, text  string
		path, want bool
	}{
		{"a*b", "axxb", true, true},
		{"a*b", "a/b", true, false},
		{"a?b", "a/b", true, false},
		{"a[/]b", "a/b", true, false},
		{"**/b", "b", true, true},
		{"**/b", "x/y/b", true, true},
		{"a/**/b", "a/b", true, true},
		{"a/**/b", "a/x/y/b", true, true},
		{"a/**", "a/x/y", true, true},
		{"a/**", "a", true, false},
		{"a**b", "ax/yb", true, false},
		{"[!a]", "b", false, true},
		{"[^a]", "a", false, false},
		{"[]]", "]", false, true},
		{"[a-]", "-", false, true},
		{"[[:digit:]x]", "7", false, true},
		{"[[:digit]", "[", false, true}, // no ":]": a plain set
		{"[[:digit]]", ":]", false, true},
		{"[", "[", false, false},
		{`\*`, "*", false, true},
		{`a\`, "a", false, false},
		{"*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false},
	}
	for _, c := range cases {
		if got := glob(c.pat, c.text, c.path); got != c.want {
			t.Errorf("glob(%q, %q, pathname=%v) = %v, want %v", c.pat, c.text, c.path, got, c.want)
		}
	}
}
