package test

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifySocket listens where systemd would for a Type=notify service,
// points NOTIFY_SOCKET at it for the commands the test starts (so the
// test must not run in parallel), and returns the notices that arrive
// other than watchdog pings, each as its lines.
func notifySocket(t *testing.T) <-chan []string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", sock)
	got := make(chan []string, 64)
	go func() {
		defer close(got)
		buf := make([]byte, 64<<10)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			if lines := strings.Split(strings.TrimSuffix(string(buf[:n]), "\n"), "\n"); lines[0] != "WATCHDOG=1" {
				got <- lines
			}
		}
	}()
	return got
}

// expectNotice returns the next notice, which must start with first.
func expectNotice(t *testing.T, notices <-chan []string, first string) []string {
	t.Helper()
	select {
	case lines, ok := <-notices:
		if !ok || lines[0] != first {
			t.Fatalf("notice %q, want %s", lines, first)
		}
		return lines
	case <-time.After(time.Minute):
		t.Fatalf("no %s within a minute", first)
	}
	return nil
}

// TestServeAndMountTellSystemd runs cairn serve and cairn mount
// --foreground as their Type=notify units do: READY=1 arrives once the
// server answers and once the directory is mounted; stopping the mount
// sends STOPPING=1 before it stores what is written.
func TestServeAndMountTellSystemd(t *testing.T) {
	notices := notifySocket(t)
	s := startServe(t)
	ready := expectNotice(t, notices, "READY=1")
	resp, err := http.Get(s.endpoint + "/")
	if err != nil {
		t.Fatalf("cairn serve at READY=1: %v", err)
	}
	resp.Body.Close()
	if want := "STATUS=serving S3 on " + s.endpoint; !strings.Contains(strings.Join(ready, "\n"), want) {
		t.Errorf("READY=1 notice %q lacks %q", ready, want)
	}

	needFUSE(t)
	c := newCLI(t)
	c.ok("mb", "s3://photos")
	dir := t.TempDir()
	mnt := filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	unmountAtEnd(t, mnt)
	cmd := c.command("mount", "--foreground", "--staging-dir", filepath.Join(dir, "staging"),
		"--cache-dir", filepath.Join(dir, "cache"), "s3://photos", mnt)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	expectNotice(t, notices, "READY=1")
	if !mounted(mnt) {
		t.Fatalf("READY=1 came before %s was mounted:\n%s", mnt, out.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	expectNotice(t, notices, "STOPPING=1")
	select {
	case err := <-exited:
		exited <- err
		if err != nil {
			t.Errorf("cairn mount after SIGTERM: %v\n%s", err, out.String())
		}
	case <-time.After(time.Minute):
		t.Errorf("cairn mount still running a minute after SIGTERM:\n%s", out.String())
	}
	if mounted(mnt) {
		t.Errorf("%s still mounted after cairn mount ended", mnt)
	}
}

