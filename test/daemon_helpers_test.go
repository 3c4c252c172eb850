package test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// daemonEnv is a data directory, a control socket and a config file for
// one `cairn daemon`, and the cli to work beside it.
type daemonEnv struct {
	t      *testing.T
	c      *cli
	dir    string
	config string
	socket string
	cache  string
}

func newDaemonEnv(t *testing.T) *daemonEnv {
	t.Helper()
	needFUSE(t)
	dir := t.TempDir()
	return &daemonEnv{t: t, c: newCLI(t), dir: dir, config: filepath.Join(dir, "cairn.yaml"),
		socket: filepath.Join(dir, "cairn.sock"), cache: t.TempDir()}
}

// writeConfig writes the config file: the data and socket lines, then body.
func (e *daemonEnv) writeConfig(body string) {
	e.t.Helper()
	head := "data: " + e.c.data + "\nsocket: " + e.socket + "\n"
	if err := os.WriteFile(e.config, []byte(head+body), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// mountpoint returns a new directory to mount on, unmounted at the end.
func (e *daemonEnv) mountpoint(name string) string {
	e.t.Helper()
	dir := filepath.Join(e.dir, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		e.t.Fatal(err)
	}
	unmountAtEnd(e.t, dir)
	return dir
}

// command is cairn with args, talking to this daemon.
func (e *daemonEnv) command(args ...string) *exec.Cmd {
	cmd := e.c.command(args...)
	cmd.Env = append(cmd.Env, "CAIRN_SOCKET="+e.socket, "XDG_CACHE_HOME="+e.cache)
	return cmd
}

// run runs cairn and returns its output and exit code.
func (e *daemonEnv) run(args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	cmd := e.command(args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		e.t.Fatalf("cairn %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), code
}

// ok runs cairn and expects success.
func (e *daemonEnv) ok(args ...string) string {
	e.t.Helper()
	out, errOut, code := e.run(args...)
	if code != 0 {
		e.t.Fatalf("cairn %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// runningDaemon is a `cairn daemon` process.
type runningDaemon struct {
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
	err  error
}

// syncBuffer is a bytes.Buffer safe for a process and a test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// start runs the daemon on the config; it is stopped at the end of the
// test if still running.
func (e *daemonEnv) start(extra ...string) *runningDaemon {
	e.t.Helper()
	d := &runningDaemon{cmd: e.command(append([]string{"daemon", "--config", e.config}, extra...)...), log: &syncBuffer{}, done: make(chan struct{})}
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() { d.err = d.cmd.Wait(); close(d.done) }()
	e.t.Cleanup(func() {
		if d.exited() {
			return
		}
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(time.Minute):
			d.cmd.Process.Kill()
			<-d.done
		}
	})
	return d
}

func (d *runningDaemon) exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// stop sends sig and waits for the daemon to exit, expecting success.
func (d *runningDaemon) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	d.cmd.Process.Signal(sig)
	select {
	case <-d.done:
	case <-time.After(2 * time.Minute):
		d.cmd.Process.Kill()
		<-d.done
		t.Fatalf("the daemon did not stop on %v; log:\n%s", sig, d.log)
	}
	if d.err != nil {
		t.Fatalf("daemon exited with %v after %v; log:\n%s", d.err, sig, d.log)
	}
}

// daemonStatus is what cairn status --json prints, as a script reads it.
type daemonStatus struct {
	PID        int
	S3Endpoint string `json:"s3_endpoint"`
	Units      []struct {
		Kind, Name, State, Where string
		Since                    time.Time
		PendingUploads           *int       `json:"pending_uploads"`
		BytesMoved               int64      `json:"bytes_moved"`
		LastSync                 *time.Time `json:"last_sync"`
		Files                    int64
	}
}

// status asks the daemon for its status with cairn status --json.
func (e *daemonEnv) status() (*daemonStatus, bool) {
	out, _, code := e.run("status", "--json")
	if code != 0 {
		return nil, false
	}
	var st daemonStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		e.t.Fatalf("cairn status --json: %v\n%s", err, out)
	}
	return &st, true
}

// waitFor polls until cond holds, failing the test with the daemon's
// log after a generous minute.
func (e *daemonEnv) waitFor(d *runningDaemon, what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if d.exited() {
			e.t.Fatalf("the daemon exited (%v) while waiting for %s; log:\n%s", d.err, what, d.log)
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("no %s after a minute; daemon log:\n%s", what, d.log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// unitStates maps unit names to their states.
func unitStates(st *daemonStatus) map[string]string {
	m := map[string]string{}
	for _, u := range st.Units {
		m[u.Name] = u.State
	}
	return m
}

// waitStates waits until the daemon runs exactly the units of want, in
// the states of want.
func (e *daemonEnv) waitStates(d *runningDaemon, want map[string]string) *daemonStatus {
	e.t.Helper()
	var st *daemonStatus
	e.waitFor(d, "units in states "+jsonString(want), func() bool {
		var ok bool
		st, ok = e.status()
		return ok && jsonString(unitStates(st)) == jsonString(want)
	})
	return st
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// deref shows *p, or nil.
func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
