package test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/internal/sdnotify/sdnotifytest"
)

// TestServeAndMountTellSystemd runs cairn serve and cairn mount
// --foreground as their Type=notify units do: READY=1 arrives once the
// server answers and once the directory is mounted; stopping the mount
// sends STOPPING=1 before it stores what is written.
func TestServeAndMountTellSystemd(t *testing.T) {
	notices := sdnotifytest.Listen(t)
	s := startServe(t)
	ready := notices.Expect("READY=1")
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
	notices.Expect("READY=1")
	if !mounted(mnt) {
		t.Fatalf("READY=1 came before %s was mounted:\n%s", mnt, out.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	notices.Expect("STOPPING=1")
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

	// In the background the mount runs apart from the process systemd
	// would have started: it does not get the notify socket.
	started := c.ok("mount", "--staging-dir", filepath.Join(dir, "staging"), "--cache-dir", filepath.Join(dir, "cache"), "s3://photos", mnt)
	_, pid, ok := strings.Cut(started, "(pid ")
	pid, _, _ = strings.Cut(pid, ",")
	env, err := os.ReadFile("/proc/" + pid + "/environ")
	if !ok || err != nil {
		t.Fatalf("environment of the background mount (%q): %v", started, err)
	}
	if strings.Contains(string(env), "NOTIFY_SOCKET=") {
		t.Error("the background mount got NOTIFY_SOCKET")
	}
	c.ok("unmount", mnt)
}
