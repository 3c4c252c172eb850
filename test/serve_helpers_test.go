package test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Credentials every test server runs with.
const (
	testAccessKey = "CAIRNTESTACCESSKEY01"
	testSecretKey = "cairn-test-secret-key-0123456789abcdefgh"
	testRegion    = "us-east-1"
)

// cairnBinary returns the cairn command built once per test run.
func cairnBinary(t *testing.T) string { return cliBinary.get(t) }

// server is a running `cairn serve`.
type server struct {
	endpoint string // http://127.0.0.1:PORT
	dataDir  string
	cmd      *exec.Cmd
}

// startServe starts `cairn serve` on a free loopback port with the test
// credentials, and stops it when the test ends.
func startServe(t *testing.T, extra ...string) *server {
	t.Helper()
	return startServeIn(t, t.TempDir(), extra...)
}

// startServeIn is startServe on the data directory data, so that a test
// can start a server again on what an earlier one left.
func startServeIn(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--data", data, "--listen", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(cairnBinary(t), args...)
	cmd.Env = append(os.Environ(), "CAIRN_ACCESS_KEY="+testAccessKey, "CAIRN_SECRET_KEY="+testSecretKey)
	cmd.Stderr = &testLogWriter{t: t, prefix: "cairn serve: "}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start cairn serve: %v", err)
	}
	s := &server{dataDir: data, cmd: cmd}
	t.Cleanup(func() { s.stop(t) })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if ep, ok := strings.CutPrefix(sc.Text(), "endpoint: "); ok {
			s.endpoint = ep
			break
		}
	}
	if s.endpoint == "" {
		t.Fatalf("cairn serve printed no endpoint (%v)", sc.Err())
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return s
}

// stop ends the server with SIGTERM, and SIGKILL if it lingers.
func (s *server) stop(t *testing.T) {
	if s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil && !t.Failed() {
			t.Errorf("cairn serve exited with %v after SIGTERM", err)
		}
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
		t.Errorf("cairn serve did not stop within 30 s of SIGTERM")
	}
}

// env is the environment that points AWS tools at the server.
func (s *server) env() []string {
	return append(os.Environ(),
		"AWS_ACCESS_KEY_ID="+testAccessKey,
		"AWS_SECRET_ACCESS_KEY="+testSecretKey,
		"AWS_DEFAULT_REGION="+testRegion,
		"AWS_REGION="+testRegion,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ENDPOINT_URL="+s.endpoint,
	)
}

// testLogWriter sends a process's output to the test log.
type testLogWriter struct {
	t      *testing.T
	prefix string
	mu     sync.Mutex
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.t.Log(w.prefix + line)
	}
	return len(p), nil
}

// run runs a command with the server's environment and returns its
// combined output, failing the test when it fails.
func (s *server) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := s.try(t, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// try runs a command with the server's environment and returns its
// output and error.
func (s *server) try(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = s.env()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// needTool skips the test when a client it drives is not installed; make
// test installs them (make deps).
func needTool(t *testing.T, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if filepath.IsAbs(p) {
			if _, err := os.Stat(p); err == nil {
				return p
			}
			continue
		}
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	if os.Getenv("CAIRN_REQUIRE_TOOLS") != "" {
		t.Fatalf("none of %v installed (run make deps)", paths)
	}
	t.Skipf("none of %v installed (run make deps)", paths)
	return ""
}

// runEnv is run with extra environment variables.
func (s *server) runEnv(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(s.env(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
