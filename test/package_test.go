package test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/daemon"
)

// packageTestEnv turns on TestPackage, which builds the packages and
// installs the .deb on this machine (make package-test sets it).
const packageTestEnv = "CAIRN_PACKAGE_TEST"

// TestPackagedConfigsAreValid checks that the config the packages install
// as /etc/cairn/cairn.yaml, and the full example beside it, are configs
// cairn daemon accepts.
func TestPackagedConfigsAreValid(t *testing.T) {
	for _, p := range []string{"../packaging/cairn.yaml", "../daemon/testdata/sample.yaml"} {
		if _, err := daemon.LoadConfig(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// TestPackage builds the .deb and .rpm with make package, installs the
// .deb with dpkg, checks what it put where and that the systemd units
// verify, removes and purges it, and lists the .rpm.
func TestPackage(t *testing.T) {
	if os.Getenv(packageTestEnv) != "1" {
		t.Skip("set " + packageTestEnv + "=1 (make package-test): it builds the packages and installs the .deb on this machine")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: installs the .deb")
	}
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("needs dpkg")
	}
	if exec.Command("dpkg", "-s", "cairn").Run() == nil {
		t.Skip("a cairn package is installed on this machine; the test would replace it")
	}
	if _, err := os.Lstat("/usr/bin/cairn"); err == nil {
		t.Skip("/usr/bin/cairn exists; the test would overwrite it")
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	runOK(t, "make", "-C", repo, "package")
	deb := onlyMatch(t, filepath.Join(repo, "dist", "cairn_*.deb"))
	rpm := onlyMatch(t, filepath.Join(repo, "dist", "cairn-*.rpm"))

	t.Run("deb", func(t *testing.T) { checkDeb(t, deb) })
	t.Run("rpm", func(t *testing.T) { checkRPM(t, rpm) })
}

// packageFiles are files the packages install, beside the binary.
var packageFiles = []string{
	"/usr/lib/systemd/system/cairn.service",
	"/usr/lib/systemd/system/cairn-mount@.service",
	"/etc/cairn/cairn.yaml",
	"/usr/share/doc/cairn/examples/cairn.yaml",
	"/usr/share/doc/cairn/examples/mount-example.conf",
	"/usr/share/man/man1/cairn.1.gz",
	"/usr/share/man/man1/cairn-service-install.1.gz",
	"/usr/share/man/man1/cairn-daemon.1.gz",
	"/usr/share/bash-completion/completions/cairn",
	"/usr/share/fish/vendor_completions.d/cairn.fish",
}

func checkDeb(t *testing.T, deb string) {
	runOK(t, "dpkg", "-i", deb)
	t.Cleanup(func() {
		if exec.Command("dpkg", "-s", "cairn").Run() == nil {
			runOK(t, "dpkg", "--purge", "cairn")
		}
	})

	if out := runOK(t, "/usr/bin/cairn", "version"); !strings.HasPrefix(out, "cairn ") {
		t.Errorf("/usr/bin/cairn version printed %q", out)
	}
	if target, err := filepath.EvalSymlinks("/sbin/mount.cairn"); err != nil || target != "/usr/bin/cairn" {
		t.Errorf("/sbin/mount.cairn leads to %q (%v), want /usr/bin/cairn", target, err)
	}
	out, _ := exec.Command("/sbin/mount.cairn").CombinedOutput()
	if !strings.Contains(string(out), "usage: mount.cairn") {
		t.Errorf("mount.cairn without arguments printed %q, want its usage", out)
	}
	for _, p := range append(packageFiles, "/usr/share/zsh/vendor-completions/_cairn") {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("installed file: %v", err)
		}
	}
	checkUnits(t)
	checkManPage(t, "/usr/share/man/man1/cairn-service-install.1.gz", "cairn service install")
	checkCompletions(t)
	if _, err := daemon.LoadConfig("/etc/cairn/cairn.yaml"); err != nil {
		t.Errorf("installed /etc/cairn/cairn.yaml: %v", err)
	}
	if fi, err := os.Stat("/etc/cairn/cairn.yaml"); err == nil && fi.Mode().Perm() != 0o640 {
		t.Errorf("/etc/cairn/cairn.yaml has mode %v, want 0640", fi.Mode().Perm())
	}
	if conf := runOK(t, "dpkg-query", "-W", "-f=${Conffiles}", "cairn"); !strings.Contains(conf, "/etc/cairn/cairn.yaml") {
		t.Errorf("/etc/cairn/cairn.yaml is not a conffile: %q", conf)
	}
	if _, err := os.Stat("/run/cairn/cairn.sock"); err == nil {
		t.Errorf("installing started cairn daemon (/run/cairn/cairn.sock exists)")
	}

	runOK(t, "dpkg", "-r", "cairn")
	for _, p := range append([]string{"/usr/bin/cairn", "/sbin/mount.cairn"}, packageFiles[:2]...) {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is left after dpkg -r cairn", p)
		}
	}
	if _, err := os.Stat("/etc/cairn/cairn.yaml"); err != nil {
		t.Errorf("dpkg -r removed the config, which only --purge should: %v", err)
	}
	runOK(t, "dpkg", "--purge", "cairn")
	if _, err := os.Stat("/etc/cairn/cairn.yaml"); err == nil {
		t.Errorf("/etc/cairn/cairn.yaml is left after dpkg --purge cairn")
	}
}

// checkUnits runs systemd-analyze verify (which needs no running systemd)
// on the installed units, a template through an instance of it; without
// systemd-analyze it checks what it can by reading them.
func checkUnits(t *testing.T) {
	units := []string{"cairn.service", "cairn-mount@photos.service"}
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		if os.Getenv("CAIRN_REQUIRE_TOOLS") != "" {
			t.Fatal("systemd-analyze is not installed (apt-get install systemd)")
		}
		t.Log("no systemd-analyze: reading the units instead")
		for _, u := range units {
			checkUnitFile(t, "/usr/lib/systemd/system/"+strings.Replace(u, "@photos", "@", 1))
		}
		return
	}
	for _, u := range units {
		out, err := exec.Command("systemd-analyze", "verify", u).CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", u, err, out)
		}
	}
}

// checkUnitFile checks a unit's sections and that its ExecStart runs an
// installed executable.
func checkUnitFile(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sections := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "["):
			sections[line] = true
		case strings.HasPrefix(line, "ExecStart="):
			exe := strings.Fields(strings.TrimPrefix(line, "ExecStart="))[0]
			if fi, err := os.Stat(exe); err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("%s: ExecStart runs %s, not an executable (%v)", path, exe, err)
			}
		}
	}
	for _, s := range []string{"[Unit]", "[Service]", "[Install]"} {
		if !sections[s] {
			t.Errorf("%s has no %s section", path, s)
		}
	}
}

func checkManPage(t *testing.T, path, want string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !bytes.HasPrefix(b, []byte(".nh\n.TH")) && !bytes.Contains(b, []byte("\n.TH ")) {
		t.Errorf("%s is not a man page", path)
	}
	if !bytes.Contains(b, []byte(want)) {
		t.Errorf("%s does not mention %q", path, want)
	}
}

// checkCompletions loads the bash completion as bash-completion would and
// checks the zsh and fish ones name cairn.
func checkCompletions(t *testing.T) {
	out, err := exec.Command("bash", "-c", "source /usr/share/bash-completion/completions/cairn && complete -p cairn").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "cairn") {
		t.Errorf("bash completion: %v\n%s", err, out)
	}
	for p, want := range map[string]string{
		"/usr/share/zsh/vendor-completions/_cairn":        "#compdef cairn",
		"/usr/share/fish/vendor_completions.d/cairn.fish": "complete -c cairn",
	} {
		if b, err := os.ReadFile(p); err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s lacks %q (%v)", p, want, err)
		}
	}
}

// checkRPM lists the .rpm with rpm -qlp and checks its scripts.
func checkRPM(t *testing.T, rpm string) {
	if _, err := exec.LookPath("rpm"); err != nil {
		if os.Getenv("CAIRN_REQUIRE_TOOLS") != "" {
			t.Fatal("rpm is not installed (apt-get install rpm)")
		}
		t.Skip("rpm is not installed (apt-get install rpm)")
	}
	list := runOK(t, "rpm", "-qlp", rpm)
	for _, p := range append(packageFiles, "/usr/bin/cairn", "/sbin/mount.cairn", "/usr/share/zsh/site-functions/_cairn") {
		if !strings.Contains(list, p+"\n") {
			t.Errorf("the .rpm lacks %s; it has:\n%s", p, list)
		}
	}
	if conf := runOK(t, "rpm", "-qcp", rpm); !strings.Contains(conf, "/etc/cairn/cairn.yaml") {
		t.Errorf("/etc/cairn/cairn.yaml is not a config file of the .rpm: %q", conf)
	}
	scripts := runOK(t, "rpm", "-qp", "--scripts", rpm)
	if !strings.Contains(scripts, "daemon-reload") || strings.Contains(scripts, "systemctl start") || strings.Contains(scripts, "systemctl enable") {
		t.Errorf("the .rpm's scripts should reload systemd and never start or enable the service:\n%s", scripts)
	}
}

// runOK runs a command, failing the test with its output if it fails.
func runOK(t *testing.T, name string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// onlyMatch returns the one file that pattern matches.
func onlyMatch(t *testing.T, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) != 1 {
		t.Fatalf("%s: want one file, found %v (%v)", pattern, m, err)
	}
	return m[0]
}
