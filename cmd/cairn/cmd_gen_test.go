package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runGen(t *testing.T, args ...string) {
	t.Helper()
	var out bytes.Buffer
	a := &app{stdout: &out, stderr: &out, logger: slog.Default(), getenv: func(string) string { return "" }}
	if code := run(context.Background(), args, a); code != 0 {
		t.Fatalf("cairn %s: exit %d\n%s", strings.Join(args, " "), code, out.String())
	}
}

func TestGenManWritesAPagePerCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
	runGen(t, "gen", "man", dir)
	for _, page := range []string{"cairn.1", "cairn-cp.1", "cairn-service-install.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`.TH "CAIRN" "1" "Jan 2026"`)) {
			t.Errorf("%s: no man page header dated by SOURCE_DATE_EPOCH:\n%.200s", page, b)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cairn-gen.1")); err == nil {
		t.Errorf("the hidden gen command has a man page")
	}
}

func TestGenCompletionsLoadInBash(t *testing.T) {
	dir := t.TempDir()
	runGen(t, "gen", "completions", dir)
	for file, want := range map[string]string{"_cairn": "#compdef cairn", "cairn.fish": "complete -c cairn"} {
		if b, err := os.ReadFile(filepath.Join(dir, file)); err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s lacks %q (%v)", file, want, err)
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	out, err := exec.Command(bash, "-c", "source "+filepath.Join(dir, "cairn")+" && complete -p cairn").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "complete") {
		t.Errorf("bash completion does not load: %v\n%s", err, out)
	}
}
