package daemon

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/internal/sdnotify/sdnotifytest"
)

// isMountPoint tells whether dir is a mount point now.
func isMountPoint(t *testing.T, dir string) bool {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if f := strings.Fields(line); len(f) > 4 && f[4] == dir {
			return true
		}
	}
	return false
}

// TestDaemonTellsSystemd runs a daemon as a Type=notify unit with
// WatchdogSec= would: READY=1 comes once its server listens and its mount
// is mounted, and says which unit failed; a reload is RELOADING=1 then
// READY=1; watchdog pings come; stopping sends STOPPING=1.
func TestDaemonTellsSystemd(t *testing.T) {
	if _, err := os.Stat("/dev/fuse"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs /dev/fuse and root")
	}
	n := sdnotifytest.Listen(t)
	t.Setenv("WATCHDOG_USEC", "200000")
	dir := t.TempDir()
	mnt := filepath.Join(dir, "mnt")
	units := fmt.Sprintf("servers:\n  - {name: api, listen: '127.0.0.1:0'}\n"+
		"mounts:\n  - {name: m, target: s3://bucket, mountpoint: %s, cache_dir: %s, staging_dir: %s}\n"+
		"syncs:\n  - {name: s, local: %s, remote: s3://bucket/s}\n",
		mnt, filepath.Join(dir, "cache"), filepath.Join(dir, "staging"), filepath.Join(dir, "no-such-folder"))
	td := startDaemon(t, units, "bucket")

	ready := n.Expect("READY=1")
	if !isMountPoint(t, mnt) {
		t.Errorf("READY=1 came before %s was mounted", mnt)
	}
	if _, err := os.ReadDir(mnt); err != nil {
		t.Errorf("read the mount at READY=1: %v", err)
	}
	endpoint := ""
	for _, u := range td.d.Status().Units {
		if u.Name == "api" {
			endpoint = u.Where
		}
	}
	resp, err := http.Get(endpoint + "/bucket")
	if err != nil {
		t.Errorf("server %q at READY=1: %v", endpoint, err)
	} else {
		resp.Body.Close()
	}
	if st := sdnotifytest.Status(ready); !strings.HasPrefix(st, "1 mount, 1 server; failed: sync s (") {
		t.Errorf("status at start %q: want the mount and the server running, and sync s failed", st)
	}

	td.write(units + "  - {name: s2, local: " + dir + ", remote: s3://bucket/s2}\n")
	if err := td.d.Reload(); err != nil {
		t.Fatal(err)
	}
	if reloading := n.Expect("RELOADING=1"); !strings.HasPrefix(reloading[len(reloading)-1], "MONOTONIC_USEC=") {
		t.Errorf("RELOADING=1 without MONOTONIC_USEC: %q", reloading)
	}
	if st := sdnotifytest.Status(n.Expect("READY=1")); !strings.HasPrefix(st, "1 mount, 1 sync, 1 server; failed: sync s (") {
		t.Errorf("status after reload %q: want sync s2 running too", st)
	}

	td.write("servers: [{name: api, listen: nowhere}]\n")
	if err := td.d.Reload(); err == nil {
		t.Fatal("reload of a bad config passed")
	}
	n.Expect("RELOADING=1")
	if st := sdnotifytest.Status(n.Expect("READY=1")); !strings.Contains(st, "reload refused: ") {
		t.Errorf("status after a refused reload %q: want the reason", st)
	}

	for deadline := time.Now().Add(time.Minute); n.Pings() < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d watchdog pings within a minute of WATCHDOG_USEC=200000", n.Pings())
		}
	}

	td.stop()
	n.Expect("STOPPING=1")
	if isMountPoint(t, mnt) {
		t.Errorf("%s still mounted after the daemon stopped", mnt)
		syscall.Unmount(mnt, syscall.MNT_DETACH)
	}
}
