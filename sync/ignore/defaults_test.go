package ignore

import (
	"os"
	"strings"
	"testing"
)

// TestDefaults checks that the files editors, office suites, browsers and
// operating systems leave behind are skipped, and that ordinary files with
// similar names are not.
func TestDefaults(t *testing.T) {
	m := newMatcher(t, t.TempDir(), Options{})
	ignored := []string{
		".notes.txt.swp", "dir/.notes.txt.swo", ".x.swn", ".x.swx", "4913", "a/4913",
		"report.doc~", ".#main.go", "#main.go#", ".main.go.kate-swp",
		"main.go___jb_tmp___", "main.go___jb_old___",
		"~$Budget.xlsx", ".~lock.Budget.ods#", "upload.tmp", "a/b/c.TMP.tmp",
		".goutputstream-ABC123", "movie.mkv.crdownload", "movie.mkv.part",
		"movie.mkv.partial", "movie.mkv.opdownload",
		".DS_Store", "photos/.DS_Store", "._photo.jpg", "Icon\r",
		"Thumbs.db", "ehthumbs.db", "desktop.ini", ".Trash-1000", ".directory",
		".nfs000000000123abcd00000001", ".fuse_hidden0000000a00000001",
		".syncthing.report.pdf.tmp", "~syncthing~report.pdf.tmp", ".unison.report.pdf.123.unison.tmp",
	}
	for _, p := range ignored {
		if !m.Match(p, false) {
			t.Errorf("default does not ignore file %q", p)
		}
	}
	ignoredDirs := []string{
		".AppleDouble", ".Spotlight-V100", ".fseventsd", ".Trashes", ".TemporaryItems",
		"$RECYCLE.BIN", ".Trash-1000", "lost+found", "x/.~tmp~", ".dropbox.cache", "big.zip.download",
	}
	for _, p := range ignoredDirs {
		if !m.Match(p, true) {
			t.Errorf("default does not ignore directory %q", p)
		}
		if !m.Match(p+"/inner/file.txt", false) {
			t.Errorf("default does not ignore %q/inner/file.txt", p)
		}
	}
	kept := []string{
		"notes.txt", "swp", "x.swp", "Icon", "4913.txt", "a4913", "report.doc",
		"main.go", "#main.go", "Budget.xlsx", "lock.ods", "tmp", "tmp.txt",
		"movie.mkv", "part", "DS_Store", "thumbs.db.txt", ".nfsconfig", "x/lost+found",
		"big.zip.download", ".cairnignore", ".gitignore", ".git", "sync-conflict.txt",
	}
	for _, p := range kept {
		if m.Match(p, false) {
			t.Errorf("default ignores ordinary file %q", p)
		}
	}
}

// TestAlwaysIgnored checks that the state directory and cairn's partial
// downloads are skipped even without defaults and against a negation.
func TestAlwaysIgnored(t *testing.T) {
	root := t.TempDir()
	mustWrite(t, root+"/"+FileName, "!.cairn\n!.cairn/**\n!"+TempPrefix+"*\n")
	m := newMatcher(t, root, Options{NoDefaults: true, Extra: []string{"!*"}})
	for _, p := range []string{".cairn", ".cairn/state.db", TempPrefix + "123", "a/b/" + TempPrefix + "x", TempPrefix + "d/f"} {
		if !m.Match(p, strings.HasSuffix(p, ".cairn")) {
			t.Errorf("%q is synced; it must always be ignored", p)
		}
	}
	for _, p := range []string{"a/.cairn", ".cairnx", "a/.cairn/state.db", ".cairn-tmp", "tmp.txt"} {
		if m.Match(p, false) {
			t.Errorf("%q is ignored; only the root state dir and temp files are", p)
		}
	}
}

// TestNoDefaults checks that NoDefaults syncs editor temp files.
func TestNoDefaults(t *testing.T) {
	m := newMatcher(t, t.TempDir(), Options{NoDefaults: true})
	for _, p := range []string{".x.swp", "a~", "x.tmp", ".DS_Store"} {
		if m.Match(p, false) {
			t.Errorf("NoDefaults still ignores %q", p)
		}
	}
}

// TestDefaultsDocumented checks that the package documentation lists every
// built-in pattern with the program that makes it.
func TestDefaultsDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range defaultRules() {
		pat := strings.ReplaceAll(r.pattern, "\r", `\r`)
		if strings.HasPrefix(pat, ".nfs") {
			pat = ".nfs<8 hex digits>*"
		}
		if !strings.Contains(string(doc), pat) || !strings.Contains(string(doc), r.program) {
			t.Errorf("doc.go does not list %q (%s)", pat, r.program)
		}
	}
}

func newMatcher(t *testing.T, root string, opts Options) *Matcher {
	t.Helper()
	m, err := New(root, opts)
	if err != nil {
		t.Fatalf("New(%s): %v", root, err)
	}
	return m
}
