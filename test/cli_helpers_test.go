package test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// cliVersion is the version the cli tests stamp into the binary.
const cliVersion = "v0.0.0-clitest"

// TestMain removes the cairn binary the cli tests built, if they did.
func TestMain(m *testing.M) {
	code := m.Run()
	cliBinary.remove()
	os.Exit(code)
}

// cliBinary is the cairn command built once per test run, on first use
// (test processes that run no cli test, such as crash children, build nothing).
var cliBinary cliBuild

type cliBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func (b *cliBuild) get(t *testing.T) string {
	t.Helper()
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "cairn-cli-test-")
		if b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "cairn")
		cmd := exec.Command(cliGoTool(), "build", "-o", b.path, "-ldflags", "-X main.version="+cliVersion, "github.com/cairnfs/cairn/cmd/cairn")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if b.err != nil {
		t.Fatalf("build cairn: %v", b.err)
	}
	return b.path
}

func (b *cliBuild) remove() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

// cliGoTool is the go command that runs these tests.
func cliGoTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		return filepath.Join(root, "bin", "go")
	}
	return "go"
}

// cli runs cairn as a user would, on a data directory of its own.
type cli struct {
	t    *testing.T
	bin  string
	data string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{t: t, bin: cliBinary.get(t), data: t.TempDir()}
}

// result is what a cairn run printed and its exit code.
type cliResult struct {
	stdout, stderr string
	code           int
}

// command prepares cairn with args on the cli's data directory.
func (c *cli) command(args ...string) *exec.Cmd {
	cmd := exec.Command(c.bin, append([]string{"--data", c.data}, args...)...)
	cmd.Env = append(os.Environ(), "CAIRN_DATA=")
	return cmd
}

// runIn runs cairn with stdin as its input.
func (c *cli) runIn(stdin io.Reader, args ...string) cliResult {
	c.t.Helper()
	cmd := c.command(args...)
	cmd.Stdin = stdin
	return runCaptured(c.t, cmd)
}

// runCaptured runs cmd to its end and returns its output and exit code;
// a command that cannot run at all fails the test.
func runCaptured(t *testing.T, cmd *exec.Cmd) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", strings.Join(cmd.Args, " "), err)
	}
	return cliResult{out.String(), errOut.String(), code}
}

// ok runs cairn, expects success with nothing on stderr, and returns stdout.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	return c.okIn(nil, args...)
}

func (c *cli) okIn(stdin io.Reader, args ...string) string {
	c.t.Helper()
	r := c.runIn(stdin, args...)
	if r.code != 0 || r.stderr != "" {
		c.t.Fatalf("cairn %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// fails runs cairn, expects exit code code and one line on stderr, and
// returns that line.
func (c *cli) fails(code int, args ...string) string {
	c.t.Helper()
	r := c.runIn(nil, args...)
	if r.code != code {
		c.t.Fatalf("cairn %s: exit %d, want %d; stdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	if code == 1 && strings.Count(r.stderr, "\n") != 1 {
		c.t.Errorf("cairn %s: want one line on stderr, got:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r.stderr
}

// cliRandomFile writes n reproducible pseudo-random bytes to path and
// returns their SHA-256.
func cliRandomFile(t *testing.T, path string, n int, seed uint64) [32]byte {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, n)
	rng := rand.NewChaCha8([32]byte{byte(seed)})
	rng.Read(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// cliFileSum returns the SHA-256 of the file at path.
func cliFileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// lines splits output into its lines, without the final newline.
func cliLines(out string) []string {
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}
