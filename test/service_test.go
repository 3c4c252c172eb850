package test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServiceRunsTheDaemon installs cairn daemon as a service of this
// host's init system (an init script in /etc/init.d where systemd is not
// PID 1), starts it, writes through the mount it hosts, stops it, checks
// that what was written is in the store, restarts it and uninstalls it.
// It needs root and leaves nothing behind: the service has a name of its
// own and is uninstalled at the end, whatever happens.
func TestServiceRunsTheDaemon(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: installs a system service")
	}
	e := newDaemonEnv(t)
	if out, err := exec.Command(e.c.bin, "daemon", "--help").CombinedOutput(); err != nil {
		t.Skipf("cairn daemon is not there: %v\n%s", err, out)
	}
	svc := &testService{t: t, e: e, name: fmt.Sprintf("cairn-test-%d", os.Getpid())}
	mnt := e.mountpoint("mnt")
	e.c.ok("mb", "s3://svc")
	e.writeConfig(fmt.Sprintf(`servers:
  - name: s3
    listen: 127.0.0.1:0
mounts:
  - name: files
    target: s3://svc
    mountpoint: %s
    cache_dir: %s
    staging_dir: %s
`, mnt, filepath.Join(e.cache, "blocks"), filepath.Join(e.cache, "staging")))

	svc.want("status", "not installed")
	t.Cleanup(svc.cleanup)
	out := svc.ok("install", "--config", e.config)
	if !strings.Contains(out, "daemon --config "+e.config) {
		t.Errorf("install does not say it runs cairn daemon --config %s:\n%s", e.config, out)
	}
	svc.want("status", "stopped")
	if r := svc.run("install", "--config", e.config); r.code != 1 || !strings.Contains(r.stderr, "already installed") {
		t.Errorf("a second install: exit %d, stderr %q; want 1 and \"already installed\"", r.code, r.stderr)
	}

	svc.want("start", "running")
	pid := svc.waitMounted(mnt)
	content := []byte("written while cairn ran as a service\n")
	if err := os.WriteFile(filepath.Join(mnt, "hello.txt"), content, 0o644); err != nil {
		t.Fatalf("write through the service's mount: %v", err)
	}

	svc.want("stop", "stopped")
	if mounted(mnt) {
		t.Errorf("%s is still mounted after cairn service stop", mnt)
	}
	if processAlive(pid) {
		t.Errorf("daemon process %d still runs after cairn service stop", pid)
	}
	if _, ok := e.status(); ok {
		t.Errorf("cairn status still answers after cairn service stop")
	}
	got := filepath.Join(t.TempDir(), "hello.txt")
	e.c.ok("cp", "s3://svc/hello.txt", got)
	if b, err := os.ReadFile(got); err != nil || !bytes.Equal(b, content) {
		t.Errorf("s3://svc/hello.txt after stop: %q, %v; want %q", b, err, content)
	}

	svc.want("start", "running")
	first := svc.waitMounted(mnt)
	svc.want("restart", "running")
	if second := svc.waitMounted(mnt); second == first {
		t.Errorf("restart kept daemon process %d", first)
	}

	svc.want("uninstall", "not installed")
	if mounted(mnt) {
		t.Errorf("%s is still mounted after cairn service uninstall", mnt)
	}
	svc.checkGone()
}

// testService runs cairn service commands on a service of its own name.
type testService struct {
	t    *testing.T
	e    *daemonEnv
	name string
}

func (s *testService) run(args ...string) cliResult {
	s.t.Helper()
	return s.e.c.runIn(nil, append(append([]string{"service"}, args...), "--name", s.name)...)
}

func (s *testService) ok(args ...string) string {
	s.t.Helper()
	r := s.run(args...)
	if r.code != 0 {
		s.t.Fatalf("cairn service %s: exit %d\nstdout:\n%s\nstderr:\n%s\nservice log:\n%s",
			strings.Join(args, " "), r.code, r.stdout, r.stderr, s.log())
	}
	return r.stdout
}

// want runs cairn service with args and checks the state it prints.
func (s *testService) want(args ...string) {
	s.t.Helper()
	state := args[len(args)-1]
	if out := s.ok(args[:len(args)-1]...); strings.TrimSpace(out) != state {
		s.t.Fatalf("cairn service %s printed %q, want %q\nservice log:\n%s", args[0], out, state, s.log())
	}
}

// waitMounted waits until the service's daemon answers cairn status with
// its mount running, and returns the daemon's pid.
func (s *testService) waitMounted(mnt string) int {
	s.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		st, ok := s.e.status()
		if ok && unitStates(st)["files"] == "running" && mounted(mnt) {
			return st.PID
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the service's mount is not running after a minute; service log:\n%s", s.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// log is what the init script logged of the service, if it is one.
func (s *testService) log() string {
	b, err := os.ReadFile(s.logFile())
	if err != nil {
		return "(no " + s.logFile() + ")"
	}
	return string(b)
}

func (s *testService) logFile() string { return "/var/log/" + s.name + ".log" }

// checkGone checks that no init script, runlevel link or pid file of the
// service is left.
func (s *testService) checkGone() {
	s.t.Helper()
	left := []string{"/etc/init.d/" + s.name, "/var/run/" + s.name + ".pid", "/etc/systemd/system/" + s.name + ".service"}
	links, _ := filepath.Glob("/etc/rc?.d/[SK][0-9][0-9]" + s.name)
	for _, p := range append(left, links...) {
		if _, err := os.Lstat(p); err == nil {
			s.t.Errorf("%s is left after cairn service uninstall", p)
		}
	}
}

// cleanup uninstalls the service if the test did not get that far, then
// removes its log.
func (s *testService) cleanup() {
	if r := s.run("status"); strings.TrimSpace(r.stdout) != "not installed" {
		if r := s.run("uninstall"); r.code != 0 {
			s.t.Errorf("cleanup: cairn service uninstall: %s", r.stderr)
		}
	}
	os.Remove(s.logFile())
}

// processAlive tells whether pid runs (a zombie does not).
func processAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(b, ')')
	return i >= 0 && i+2 < len(b) && b[i+2] != 'Z'
}
