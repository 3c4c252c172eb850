package service

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
)

// render fills a service definition template as the service library does.
func render(t *testing.T, text, exe, config string) string {
	t.Helper()
	funcs := template.FuncMap{
		"cmd":       func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` },
		"cmdEscape": func(s string) string { return strings.ReplaceAll(s, " ", `\x20`) },
	}
	tmpl, err := template.New("").Funcs(funcs).Parse(text)
	if err != nil {
		t.Fatalf("parse template: %v", err)
	}
	var b bytes.Buffer
	data := map[string]any{
		"Name": "cairn", "DisplayName": "cairn (cairn)", "Description": "cairn daemon",
		"Path": exe, "Arguments": []string{"daemon", "--config", config},
		"WorkingDirectory": "", "LogDirectory": "/var/log",
		"EnvVars": map[string]string{"XDG_CACHE_HOME": "/var/cache"},
	}
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatalf("render template: %v", err)
	}
	return b.String()
}

func TestSystemdUnitRunsDaemonWithConfig(t *testing.T) {
	for _, user := range []bool{false, true} {
		unit := render(t, systemdUnit(user), "/usr/bin/cairn", "/etc/cairn/cairn.yaml")
		for _, want := range []string{
			`ExecStart=/usr/bin/cairn "daemon" "--config" "/etc/cairn/cairn.yaml"`,
			"Type=notify", "NotifyAccess=main", "TimeoutStartSec=300",
			"KillSignal=SIGTERM", "Restart=on-failure", "TimeoutStopSec=300",
			`Environment="XDG_CACHE_HOME=/var/cache"`,
		} {
			if !strings.Contains(unit, want) {
				t.Errorf("user=%v: unit lacks %q:\n%s", user, want, unit)
			}
		}
		target := "WantedBy=multi-user.target"
		if user {
			target = "WantedBy=default.target"
		}
		if !strings.Contains(unit, target) {
			t.Errorf("user=%v: unit lacks %q", user, target)
		}
	}
}

// TestSystemdUnitVerifies runs systemd-analyze verify, which works
// without systemd as PID 1, on the unit install writes.
func TestSystemdUnitVerifies(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	exe, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1) to stand for cairn")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "cairn.service")
	if err := os.WriteFile(p, []byte(render(t, systemdUnit(false), exe, "/etc/cairn/cairn.yaml")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("systemd-analyze", "verify", "--man=no", p).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestSysVScriptIsShell checks the init script's syntax with sh -n.
func TestSysVScriptIsShell(t *testing.T) {
	script := render(t, sysvScript(), "/usr/bin/cairn", "/etc/cairn/cairn.yaml")
	if !strings.Contains(script, "'/usr/bin/cairn' 'daemon' '--config' '/etc/cairn/cairn.yaml'") {
		t.Errorf("script does not run cairn daemon --config:\n%s", script)
	}
	for _, want := range []string{"stop_timeout=300", "export XDG_CACHE_HOME='/var/cache'"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	cmd := exec.Command("sh", "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v\n%s\n%s", err, out, script)
	}
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "servers:\n  - name: s3\n    listen: 127.0.0.1:9000\n")
	comments := write("comments.yaml", "# nothing yet\n")
	cases := []struct {
		path, wantErr string
	}{
		{good, ""},
		{comments, ""},
		{filepath.Join(dir, "missing.yaml"), "no such file"},
		{dir, "not a regular file"},
		{write("list.yaml", "- a\n- b\n"), "line 1: the config is a YAML mapping"},
		{write("broken.yaml", "servers:\n  - name: [s3\n"), "yaml: line"},
	}
	for _, c := range cases {
		err := CheckConfig(c.path)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.path, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: error %v, want one saying %q", c.path, err, c.wantErr)
		}
	}
}

func TestInstallPathsAreQuotable(t *testing.T) {
	for _, p := range []string{"relative/cairn.yaml", "/etc/it's.yaml", "/etc/$HOME.yaml", "/etc/{{.Name}}.yaml"} {
		if err := checkInstallPaths("/usr/bin/cairn", p); err == nil {
			t.Errorf("%s: accepted", p)
		}
	}
	if err := checkInstallPaths("/usr/bin/cairn", "/etc/cairn/my config.yaml"); err != nil {
		t.Errorf("a space is quoted: %v", err)
	}
}

func TestNameIsChecked(t *testing.T) {
	for _, n := range []string{"a/b", "a b", "..", "x'y"} {
		if _, err := New(Options{Name: n}); err == nil {
			t.Errorf("name %q: accepted", n)
		}
	}
}
