package watch

import (
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/sync/ignore"
)

// TestWithIgnoreMatcher checks the watcher driven by the sync's ignore
// rules: the state directory, cairn's partial downloads, editor swap files
// and .cairnignore patterns are not reported, and a changed .cairnignore
// takes effect after Reload and Refresh.
func TestWithIgnoreMatcher(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ignore.StateDir, "state.db"), "x")
	writeFile(t, filepath.Join(root, ignore.FileName), "build/\n")
	m, err := ignore.New(root, ignore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := start(t, root, Options{Ignore: m.Match})
	if f.watched(ignore.StateDir) {
		t.Fatalf("state directory watched")
	}
	f.write(ignore.StateDir+"/state.db", "y")
	f.write("docs/"+ignore.TempPrefix+"123", "partial")
	f.write("docs/.notes.md.swp", "swap")
	f.write("build/out.o", "obj")
	f.write("docs/notes.md", "text")
	f.waitFor("docs", "docs/notes.md")
	f.never(ignore.StateDir+"/state.db", "docs/"+ignore.TempPrefix+"123",
		"docs/.notes.md.swp", "build", "build/out.o")

	f.write(ignore.FileName, "")
	f.waitFor(ignore.FileName)
	if err := m.Reload(); err != nil {
		t.Fatal(err)
	}
	f.w.Refresh()
	f.waitRescan()
	f.write("build/out2.o", "obj")
	f.waitFor("build/out2.o")
}
