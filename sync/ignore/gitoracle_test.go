package ignore

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// oracleTree is a directory tree for the git comparison: paths ending in
// '/' are directories, others empty files; ignore maps a directory ("" for
// the root) to the content of its ignore file.
type oracleTree struct {
	paths  []string
	ignore map[string]string
}

// build writes the tree under a fresh git repository, each ignore file
// twice: as .gitignore for git and as .cairnignore for the Matcher.
func (tr oracleTree) build(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	runGit(t, root, nil, "init", "-q")
	for _, p := range tr.paths {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			mustMkdir(t, full)
			continue
		}
		mustMkdir(t, filepath.Dir(full))
		mustWrite(t, full, "")
	}
	for dir, content := range tr.ignore {
		full := filepath.Join(root, filepath.FromSlash(dir))
		mustMkdir(t, full)
		mustWrite(t, filepath.Join(full, ".gitignore"), content)
		mustWrite(t, filepath.Join(full, FileName), content)
	}
	return root
}

// compareWithGit checks Match against git check-ignore for every path in
// the tree below root.
func compareWithGit(t *testing.T, root string, tr oracleTree) {
	t.Helper()
	paths, dirs := listTree(t, root)
	want := gitIgnored(t, root, paths)
	m, err := New(root, Options{NoDefaults: true})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	bad := 0
	for _, p := range paths {
		got := m.Match(p, dirs[p])
		if got != want[p] && bad < 20 {
			bad++
			t.Errorf("Match(%q, dir=%v) = %v, git says %v", p, dirs[p], got, want[p])
		}
	}
	if bad > 0 {
		for dir, content := range tr.ignore {
			t.Logf("ignore file in %q:\n%s", dir, content)
		}
	}
}

// listTree returns every path below root except .git, and which are
// directories.
func listTree(t *testing.T, root string) ([]string, map[string]bool) {
	t.Helper()
	var paths []string
	dirs := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if rel == ".git" {
			return filepath.SkipDir
		}
		paths = append(paths, rel)
		dirs[rel] = d.IsDir()
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	return paths, dirs
}

// gitIgnored asks git which of paths it ignores. It is equivalent to
// running "git check-ignore --no-index -q PATH" for each path, in one
// process: with -v -n every path is printed with the pattern that decided
// it, and a path is ignored when that pattern exists and is not a negation.
func gitIgnored(t *testing.T, root string, paths []string) map[string]bool {
	t.Helper()
	in := strings.Join(paths, "\x00") + "\x00"
	out := runGit(t, root, []byte(in),
		"check-ignore", "--no-index", "--stdin", "-z", "-v", "-n")
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(fields) != 4*len(paths) {
		t.Fatalf("git check-ignore: %d fields for %d paths", len(fields), len(paths))
	}
	res := make(map[string]bool, len(paths))
	for i := 0; i < len(fields); i += 4 {
		pat, p := fields[i+2], fields[i+3]
		res[p] = pat != "" && !strings.HasPrefix(pat, "!")
	}
	return res
}

// runGit runs git in dir isolated from any user or system configuration.
// check-ignore exits 1 when nothing is ignored; that is not a failure.
func runGit(t *testing.T, dir string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = gitEnv(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 && args[0] == "check-ignore" {
		err = nil
	}
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// gitEnv isolates git from any user or system configuration, such as a
// global excludes file.
func gitEnv(t *testing.T) []string {
	home := t.TempDir()
	return append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGitOracleFeatures compares every gitignore feature with git on a
// hand-made tree.
func TestGitOracleFeatures(t *testing.T) {
	tr := oracleTree{
		paths: strings.Fields(`
			a.txt b.txt c.log d.log keep.log build/ build/out.o build/sub/x.o
			src/ src/main.go src/build/ src/build/gen.go src/a.txt
			docs/ docs/build docs/x/ docs/x/y/ docs/x/y/z.md docs/readme.md
			foo/ foo/bar foo/a/ foo/a/bar foo/a/b/ foo/a/b/bar foox/ foox/y/ foox/y/bar
			deep/ deep/1/ deep/1/2/ deep/1/2/3.txt deep/1/2/keep.txt
			cls/ cls/a1 cls/b2 cls/c3 cls/Z9 cls/-x cls/]y cls/!z cls/^w
			lit/ lit/#hash lit/!bang lit/star* lit/q? lit/tab	x lit/br[x]
			sp/ sp/trail sp/lead
			neg/ neg/a.tmp neg/b.tmp neg/sub/ neg/sub/c.tmp
			dironly/ dironly/x/ dironly/y nested/ nested/n1/ nested/n1/f.c nested/n1/f.h
			nested/n2/ nested/n2/f.c nested/f.c
			anch/ anch/top.txt anch/in/ anch/in/top.txt top.txt
			ss/ ss/a/ ss/a/b/ ss/a/b/c/ ss/a/b/c/d.txt ss/ab ss/a/x.txt
			qq/ qq/a qq/ab qq/abc
			excl/ excl/inner/ excl/inner/f.txt excl/g.txt
			x**y/ x**y/z ends/ ends/log/ ends/log/f ends/blog
		`),
		ignore: map[string]string{
			"": strings.Join([]string{
				"# a comment",
				"",
				"*.log",
				"!keep.log",
				"build/",
				"/top.txt",
				"docs/**/z.md",
				"foo/**/bar",
				"foo**/bar",
				"deep/**",
				"!deep/1/2/keep.txt",
				"cls/[a-b]?",
				"cls/[!a-c]9",
				"cls/[]-]*",
				"cls/[\\!^]*",
				"lit/\\#hash",
				"lit/\\!bang",
				"lit/star\\*",
				"lit/q\\?",
				"lit/br[[]x]",
				"sp/trail   ",
				"sp/lead\\ ",
				"dironly/*/",
				"**/n1/*.c",
				"/nested/f.c",
				"ss/a/**/d.txt",
				"ss/a/**",
				"!ss/a/x.txt",
				"qq/a?",
				"qq/a*c",
				"excl/",
				"!excl/inner/f.txt",
				"x\\*\\*y/z",
				"ends/**/",
				"[unclosed",
				"cls/[[:bogus:]]*",
			}, "\n"),
			"neg":       "*.tmp\n!b.tmp\n",
			"neg/sub":   "!*.tmp\n",
			"src":       "build\n/a.txt\n",
			"nested/n2": "*.c\r\n",
		},
	}
	root := tr.build(t)
	compareWithGit(t, root, tr)
	quietAgrees(t, root)
}

// quietAgrees checks, path by path, that "git check-ignore --no-index -q"
// gives the verdict gitIgnored reads from git's batch output.
func quietAgrees(t *testing.T, root string) {
	t.Helper()
	paths, _ := listTree(t, root)
	batch := gitIgnored(t, root, paths)
	for _, p := range paths {
		cmd := exec.Command("git", "check-ignore", "--no-index", "-q", "--", p)
		cmd.Dir = root
		cmd.Env = gitEnv(t)
		err := cmd.Run()
		ee, isExit := err.(*exec.ExitError)
		if err != nil && !(isExit && ee.ExitCode() == 1) {
			t.Fatalf("git check-ignore %q: %v", p, err)
		}
		if quiet := err == nil; quiet != batch[p] {
			t.Errorf("git check-ignore -q %q says %v, batch says %v", p, quiet, batch[p])
		}
	}
}

// TestGitOracleRandom compares random patterns on random trees with git.
func TestGitOracleRandom(t *testing.T) {
	rounds := 30
	if testing.Short() {
		rounds = 5
	}
	for seed := range rounds {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		tr := randomTree(rng)
		root := tr.build(t)
		compareWithGit(t, root, tr)
		if t.Failed() {
			t.Fatalf("seed %d differs from git", seed)
		}
	}
}

// randomTree builds a tree of short names and ignore files of random
// patterns drawn from the features git supports.
func randomTree(rng *rand.Rand) oracleTree {
	names := []string{"a", "b", "ab", "ba", "a.c", "b.c", "aa", "x", "a b", "#a", "!a", "[a]", "a*"}
	seen := map[string]bool{}
	var paths []string
	for range 60 {
		depth := 1 + rng.IntN(4)
		p := ""
		for d := range depth {
			p = path.Join(p, names[rng.IntN(len(names))])
			if d < depth-1 {
				seen[p] = true
			}
		}
		if !seen[p] {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	var final []string
	for _, p := range paths {
		if !seen[p] {
			final = append(final, p)
		}
	}
	for d := range seen {
		final = append(final, d+"/")
	}
	dirs := []string{""}
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	ignore := map[string]string{}
	for _, d := range dirs {
		if d == "" || rng.IntN(4) == 0 {
			ignore[d] = randomPatterns(rng)
		}
	}
	return oracleTree{paths: final, ignore: ignore}
}

// randomPatterns returns a few lines of random patterns.
func randomPatterns(rng *rand.Rand) string {
	atoms := []string{"a", "b", "c", ".", " ", "*", "**", "?", "[ab]", "[!a]", "[^b]",
		"[a-b]", "[[:alpha:]]", "[[:space:]]", `\*`, `\#`, `\!`, `\ `, "[]a]", "[", "#", "!"}
	var lines []string
	for range 1 + rng.IntN(6) {
		var segs []string
		for range 1 + rng.IntN(3) {
			var s strings.Builder
			for range 1 + rng.IntN(3) {
				s.WriteString(atoms[rng.IntN(len(atoms))])
			}
			segs = append(segs, s.String())
		}
		line := strings.Join(segs, "/")
		switch rng.IntN(6) {
		case 0:
			line = "/" + line
		case 1:
			line += "/"
		case 2:
			line = "**/" + line
		}
		if rng.IntN(4) == 0 {
			line = "!" + line
		}
		if rng.IntN(8) == 0 {
			line += "  "
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n") + "\n"
}
