package test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killPoints are the acknowledged writes and closes after which the
// mount is killed, one round each. The writer goes on while the kill
// lands, so each kill hits the step after: 2, the close of the first
// small file (closed, maybe not yet stored); 9, 23, the close of a
// small file while the large file is half written, before and after
// its parts started going up; 31, the close of the large file; 35, the
// close of a small file after it.
var killPoints = []int{2, 9, 23, 31, 35}

// killStore is a store that cairn mount is killed on.
type killStore struct {
	args []string // global flags that select the store
	env  []string
	// settle waits, after the last mount is unmounted, until the store
	// can be read by another cairn command.
	settle func(t *testing.T)
}

// TestMountKillRecovery kills (SIGKILL) cairn mount while a client
// writes through it, over and over at different points of the writing,
// on cairn serve and on the embedded store. Each next mount with the
// same staging dir stores what was written and not stored yet, and says
// which files it stored. At the end every byte that write(2) returned
// for, and every file that was created, is in the store, read with
// cairn cp.
func TestMountKillRecovery(t *testing.T) {
	needFUSE(t)
	bin := cairnBinary(t)
	stores := []struct {
		name string
		open func(t *testing.T) killStore
	}{
		{"serve", func(t *testing.T) killStore {
			s := startServe(t)
			return killStore{
				args:   []string{"--endpoint", s.endpoint},
				env:    []string{"CAIRN_ACCESS_KEY=" + testAccessKey, "CAIRN_SECRET_KEY=" + testSecretKey, "AWS_REGION=" + testRegion},
				settle: func(t *testing.T) {},
			}
		}},
		{"embedded", func(t *testing.T) killStore {
			data := t.TempDir()
			return killStore{args: []string{"--data", data}, settle: func(t *testing.T) { waitUnlocked(t, bin, data) }}
		}},
	}
	for _, sc := range stores {
		t.Run(sc.name, func(t *testing.T) { killRounds(t, sc.open(t)) })
	}
}

// killRounds runs one round per kill point on st, then checks the store.
func killRounds(t *testing.T, st killStore) {
	r := &killRig{t: t, st: st, staging: t.TempDir(), mnt: filepath.Join(t.TempDir(), "mnt"), cacheHome: t.TempDir()}
	if err := os.Mkdir(r.mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	unmountAtEnd(t, r.mnt)
	r.cairn("mb", "s3://crash")
	m := r.mount()
	var ledgers []*killLedger
	for round, killAt := range killPoints {
		l := newKillLedger(killAt)
		r.writeAndKill(m, l, fmt.Sprintf("r%d-", round))
		if round > 0 {
			// m, killed now, said all it recovered of the round before.
			r.checkReport(m.output(), ledgers[round-1])
		}
		ledgers = append(ledgers, l)
		m = r.mount()
	}
	m.unmount(t, r.mnt)
	r.checkReport(m.output(), ledgers[len(ledgers)-1])
	st.settle(t)
	out := t.TempDir()
	r.cairn("cp", "--recursive", "s3://crash/", out+"/")
	for _, l := range ledgers {
		checkStored(t, out, l)
	}
}

// killRig mounts a bucket of a store again and again on one mount
// point with one staging dir.
type killRig struct {
	t         *testing.T
	st        killStore
	staging   string
	mnt       string
	cacheHome string
}

// cairn runs a cairn command on the store and returns its output.
func (r *killRig) cairn(args ...string) string {
	r.t.Helper()
	cmd := exec.Command(cairnBinary(r.t), append(append([]string{}, r.st.args...), args...)...)
	cmd.Env = append(append(os.Environ(), "XDG_CACHE_HOME="+r.cacheHome), r.st.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("cairn %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// mountProc is a cairn mount --foreground process.
type mountProc struct {
	cmd    *exec.Cmd
	out    syncBuffer
	exited chan struct{}
}

// mount starts cairn mount in the foreground and waits until the mount
// point is mounted. The files it recovers are told on its stderr around
// that time; its output is whole once it has ended.
func (r *killRig) mount() *mountProc {
	r.t.Helper()
	args := append(append([]string{}, r.st.args...), "mount", "--foreground", "--staging-dir", r.staging,
		"--cache-dir", filepath.Join(r.cacheHome, "blocks"), "--part-size", "5MiB", "--metadata-ttl", "100ms", "s3://crash", r.mnt)
	m := &mountProc{cmd: exec.Command(cairnBinary(r.t), args...), exited: make(chan struct{})}
	m.cmd.Env = append(append(os.Environ(), "XDG_CACHE_HOME="+r.cacheHome), r.st.env...)
	m.cmd.Stdout, m.cmd.Stderr = &m.out, &m.out
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := m.cmd.Start(); err != nil {
		r.t.Fatalf("start cairn mount: %v", err)
	}
	go func() { m.cmd.Wait(); close(m.exited) }()
	r.t.Cleanup(func() { m.cmd.Process.Kill(); <-m.exited })
	deadline := time.Now().Add(time.Minute)
	for !mounted(r.mnt) {
		select {
		case <-m.exited:
			r.t.Fatalf("cairn mount exited before mounting: %s\n%s", m.cmd.ProcessState, m.output())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("cairn mount not mounted after a minute:\n%s", m.output())
		}
	}
	return m
}

// output returns what the mount printed so far.
func (m *mountProc) output() string { return m.out.String() }

// unmount unmounts cleanly and waits for the mount to end.
func (m *mountProc) unmount(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command(cairnBinary(t), "unmount", dir).CombinedOutput(); err != nil {
		t.Fatalf("cairn unmount: %v\n%s", err, out)
	}
	select {
	case <-m.exited:
	case <-time.After(time.Minute):
		t.Fatalf("cairn mount still running a minute after unmount:\n%s", m.output())
	}
	if !m.cmd.ProcessState.Success() {
		t.Fatalf("cairn mount ended with %s:\n%s", m.cmd.ProcessState, m.output())
	}
}

// writeAndKill runs the writer on the mount, kills the mount with
// SIGKILL once the writer has been told killAt times that its data
// went in, then detaches the dead mount with cairn unmount --lazy.
func (r *killRig) writeAndKill(m *mountProc, l *killLedger, prefix string) {
	r.t.Helper()
	stop := make(chan struct{})
	w := &killWriter{dir: r.mnt, prefix: prefix, l: l, stop: stop}
	done := make(chan error, 1)
	go func() { done <- w.run() }()
	select {
	case <-l.reach:
	case err := <-done:
		r.t.Fatalf("the writer stopped before the kill point %d: %v", l.killAt, err)
	}
	if err := m.cmd.Process.Kill(); err != nil {
		r.t.Fatal(err)
	}
	<-m.exited
	close(stop)
	select {
	case <-done:
	case <-time.After(time.Minute):
		r.t.Fatal("the writer still blocked a minute after the mount was killed")
	}
	w.closeHeld()
	// What a user does with the dead mount ("transport endpoint is not
	// connected") before mounting again.
	out, err := exec.Command(cairnBinary(r.t), "unmount", "--lazy", r.mnt).CombinedOutput()
	if err != nil && mounted(r.mnt) {
		r.t.Fatalf("cairn unmount --lazy of the dead mount: %v\n%s", err, out)
	}
}

// checkReport checks what the next mount said it recovered: every file
// that was still open at the kill. A file whose close succeeded may be
// in the report too: close returns once the file is staged and
// journaled, and its upload may not have ended before the kill.
func (r *killRig) checkReport(out string, l *killLedger) {
	r.t.Helper()
	var stored []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "written before the last mount ended") {
			stored = append(stored, line)
		}
	}
	r.t.Logf("kill point %d: the next mount said:\n%s", l.killAt, strings.Join(stored, "\n"))
	for _, e := range l.snapshot() {
		said := strings.Contains(out, "stored "+e.name+", written before the last mount ended")
		if e.open && !said {
			r.t.Errorf("kill point %d: %s was open with %d bytes written, and the next mount does not say it stored it:\n%s", l.killAt, e.name, e.acked, out)
		}
	}
}

// checkStored checks the copy of the bucket in dir: every file created
// is there, with every byte write(2) returned for, and nothing but the
// file's own content after them; a closed file holds exactly what was
// written.
func checkStored(t *testing.T, dir string, l *killLedger) {
	t.Helper()
	for _, e := range l.snapshot() {
		if !e.created {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, e.name))
		if err != nil {
			t.Errorf("kill point %d: %s (created, %d bytes written) is not in the store: %v", l.killAt, e.name, e.acked, err)
			continue
		}
		switch {
		case int64(len(got)) < e.acked:
			t.Errorf("kill point %d: %s holds %d bytes in the store, but write(2) returned for %d", l.killAt, e.name, len(got), e.acked)
		case e.closed && int64(len(got)) != e.acked:
			t.Errorf("kill point %d: closed %s holds %d bytes in the store, %d were written", l.killAt, e.name, len(got), e.acked)
		case !bytes.Equal(got, killContent(e.name, int64(len(got)))):
			t.Errorf("kill point %d: %s: its %d bytes in the store differ from what was written", l.killAt, e.name, len(got))
		}
	}
}
