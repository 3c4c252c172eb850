package test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestDaemonHostsServerMountsAndSync runs one daemon with an S3 server,
// two mounts and a sync from one config; cairn status lists them, files
// written in a mount and in the synced folder reach the store, and
// commands on the locked data directory go through the daemon.
func TestDaemonHostsServerMountsAndSync(t *testing.T) {
	e := newDaemonEnv(t)
	e.c.ok("mb", "s3://photos")
	e.c.ok("mb", "s3://team")
	photos, shared := e.mountpoint("photos"), e.mountpoint("shared")
	folder := filepath.Join(e.dir, "folder")
	os.Mkdir(folder, 0o755)
	e.writeConfig(fmt.Sprintf(`
servers:
  - name: s3
    listen: 127.0.0.1:0
mounts:
  - name: photos
    target: s3://photos
    mountpoint: %s
    staging_dir: %s
    cache_dir: %s
  - name: shared
    target: s3://team/shared
    mountpoint: %s
    staging_dir: %s
    memory_cache_size: 0
    cache_size: 0
syncs:
  - name: notes
    local: %s
    remote: s3://team/notes
    interval: 1s
`, photos, filepath.Join(e.dir, "stage1"), filepath.Join(e.dir, "cache1"), shared, filepath.Join(e.dir, "stage2"), folder))
	d := e.start("--metrics", "127.0.0.1:0")
	st := e.waitStates(d, map[string]string{"s3": "running", "photos": "running", "shared": "running", "notes": "running"})
	if st.S3Endpoint == "" || !strings.HasPrefix(st.Units[0].Where, "http://127.0.0.1:") {
		t.Errorf("status: S3 endpoint %q, server where %q", st.S3Endpoint, st.Units[0].Where)
	}

	table := e.ok("status")
	for _, want := range []string{"KIND", "server  s3", "mount   photos", "mount   shared", "sync    notes", photos, folder + " <-> s3://team/notes"} {
		if !strings.Contains(table, want) {
			t.Errorf("cairn status has no %q:\n%s", want, table)
		}
	}

	if err := os.WriteFile(filepath.Join(photos, "cat.jpg"), []byte("meow"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "todo.txt"), []byte("buy milk"), 0o644); err != nil {
		t.Fatal(err)
	}
	storeAll(t, photos) // a closed file is uploaded in the background
	// The data directory is the daemon's: cp goes through it.
	if got := e.ok("cp", "s3://photos/cat.jpg", "-"); got != "meow" {
		t.Errorf("cat.jpg through the daemon = %q", got)
	}
	e.ok("cp", "-", "s3://team/shared/readme.txt")
	e.waitFor(d, "readme.txt in the second mount", func() bool {
		_, err := os.Stat(filepath.Join(shared, "readme.txt"))
		return err == nil
	})
	e.waitFor(d, "todo.txt synced", func() bool {
		out, _, code := e.run("cp", "s3://team/notes/todo.txt", "-")
		return code == 0 && out == "buy milk"
	})
	// The pass that stored todo.txt ends after the object shows.
	e.waitFor(d, "the sync's pass counted in cairn status", func() bool {
		st, ok := e.status()
		if !ok || len(st.Units) != 4 {
			return false
		}
		notes := st.Units[3]
		return notes.State == "running" && notes.LastSync != nil && notes.BytesMoved >= int64(len("buy milk")) && notes.Files >= 1
	})

	metrics := scrape(t, d)
	for _, want := range []string{
		`cairn_s3_requests_total{code="200",operation="GetObject",server="internal"}`,
		`cairn_s3_request_duration_seconds_bucket{operation="PutObject",server="internal"`,
		`cairn_sync_passes_total{result="ok",sync="notes"}`,
		`cairn_sync_files_total{action="uploaded",sync="notes"}`,
		`cairn_sync_lag_seconds{sync="notes"}`,
		`cairn_mount_pending_uploads{mount="photos"} 0`,
		`cairn_cache_hits_total{mount="photos",tier="memory"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics have no %s", want)
		}
	}

	e.ok("sync", "pause", "notes")
	e.waitStates(d, map[string]string{"s3": "running", "photos": "running", "shared": "running", "notes": "paused"})
	// Written while paused, synced once resumed.
	if err := os.WriteFile(filepath.Join(folder, "later.txt"), []byte("after the pause"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ok("sync", "resume", "notes")
	e.waitStates(d, map[string]string{"s3": "running", "photos": "running", "shared": "running", "notes": "running"})
	e.waitFor(d, "later.txt synced after resume", func() bool {
		out, _, code := e.run("cp", "s3://team/notes/later.txt", "-")
		return code == 0 && out == "after the pause"
	})
	if _, errOut, code := e.run("sync", "pause", "nosuch"); code != 1 || !strings.Contains(errOut, `no sync named "nosuch"`) {
		t.Errorf("pause of an unknown sync: exit %d, %s", code, errOut)
	}

	d.stop(t, syscall.SIGTERM)
	if mounted(photos) || mounted(shared) {
		t.Errorf("mounts left after SIGTERM; log:\n%s", d.log)
	}
	if _, err := os.Stat(e.socket); !os.IsNotExist(err) {
		t.Errorf("control socket left after stop: %v", err)
	}
}

// scrape reads the daemon's metrics, at the address its log names.
func scrape(t *testing.T, d *runningDaemon) string {
	t.Helper()
	m := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/metrics)`).FindStringSubmatch(d.log.String())
	if m == nil {
		t.Fatalf("no metrics address in the log:\n%s", d.log)
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDaemonReloadAddsAndRemovesMounts edits the config and sends SIGHUP:
// the removed mount goes, the added one comes, the untouched server keeps
// running on the same address; cairn unmount then unmounts through the
// daemon.
func TestDaemonReloadAddsAndRemovesMounts(t *testing.T) {
	e := newDaemonEnv(t)
	e.c.ok("mb", "s3://photos")
	one, two := e.mountpoint("one"), e.mountpoint("two")
	mountEntry := func(name, dir string) string {
		return fmt.Sprintf("  - name: %s\n    target: s3://photos\n    mountpoint: %s\n    staging_dir: %s\n    cache_size: 0\n",
			name, dir, filepath.Join(e.dir, "stage-"+name))
	}
	server := "servers:\n  - name: s3\n    listen: 127.0.0.1:0\n"
	e.writeConfig(server + "mounts:\n" + mountEntry("one", one))
	d := e.start()
	before := e.waitStates(d, map[string]string{"s3": "running", "one": "running"})
	if !mounted(one) || mounted(two) {
		t.Fatalf("mounted one %v, two %v; want only one", mounted(one), mounted(two))
	}

	e.writeConfig(server + "mounts:\n" + mountEntry("two", two))
	d.cmd.Process.Signal(syscall.SIGHUP)
	after := e.waitStates(d, map[string]string{"s3": "running", "two": "running"})
	if mounted(one) || !mounted(two) {
		t.Errorf("after reload mounted one %v, two %v; want only two", mounted(one), mounted(two))
	}
	if before.Units[0].Where != after.Units[0].Where || !before.Units[0].Since.Equal(after.Units[0].Since) {
		t.Errorf("the untouched server restarted: %+v then %+v", before.Units[0], after.Units[0])
	}

	os.WriteFile(filepath.Join(two, "a.txt"), []byte("kept"), 0o644)
	e.ok("unmount", two)
	e.waitStates(d, map[string]string{"s3": "running", "two": "unmounted"})
	if mounted(two) {
		t.Error("cairn unmount left the daemon's mount mounted")
	}
	if got := e.ok("cp", "s3://photos/a.txt", "-"); got != "kept" {
		t.Errorf("a.txt = %q after unmount", got)
	}

	// A config with a mistake changes nothing.
	e.writeConfig(server + "mounts:\n  - name: x\n    mountpoint: /nowhere\n")
	d.cmd.Process.Signal(syscall.SIGHUP)
	e.waitFor(d, "the reload refused in the log", func() bool { return strings.Contains(d.log.String(), "reload refused") })
	e.waitStates(d, map[string]string{"s3": "running", "two": "unmounted"})
}

// TestDaemonStopStoresDirtyFiles writes a file in a mount and keeps it
// open while the daemon gets SIGTERM: what was written is in the store,
// after a restart too.
func TestDaemonStopStoresDirtyFiles(t *testing.T) {
	e := newDaemonEnv(t)
	e.c.ok("mb", "s3://photos")
	mnt := e.mountpoint("mnt")
	e.writeConfig(fmt.Sprintf("mounts:\n  - name: m\n    target: s3://photos\n    mountpoint: %s\n    staging_dir: %s\n    cache_size: 0\n",
		mnt, filepath.Join(e.dir, "stage")))
	d := e.start()
	e.waitStates(d, map[string]string{"m": "running"})

	// Another process holds open.txt open, written: a file open in the
	// test process would be flushed by every command the test starts
	// (its descriptor is closed on exec in the child).
	holder := exec.Command(needTool(t, "/usr/bin/python3"), "-c", `
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b"written, still open")
print("ready", flush=True)
sys.stdin.read()
`, filepath.Join(mnt, "open.txt"))
	stdin, _ := holder.StdinPipe()
	stdout, _ := holder.StdoutPipe()
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Wait()
	defer stdin.Close()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("python holding open.txt: %q, %v", line, err)
	}
	if err := os.WriteFile(filepath.Join(mnt, "closed.txt"), []byte("written and closed"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsyncFile(t, filepath.Join(mnt, "closed.txt")) // a closed file is uploaded in the background
	st, _ := e.status()
	if p := st.Units[0].PendingUploads; p == nil || *p != 1 {
		t.Errorf("pending uploads with one file open and written: %v", deref(p))
	}
	d.stop(t, syscall.SIGTERM)
	stdin.Close()
	if mounted(mnt) {
		t.Errorf("still mounted after SIGTERM; log:\n%s", d.log)
	}

	d = e.start()
	e.waitStates(d, map[string]string{"m": "running"})
	for key, want := range map[string]string{"open.txt": "written, still open", "closed.txt": "written and closed"} {
		if got := e.ok("cp", "s3://photos/"+key, "-"); got != want {
			t.Errorf("%s after SIGTERM and restart = %q, want %q", key, got, want)
		}
		if b, err := os.ReadFile(filepath.Join(mnt, key)); err != nil || string(b) != want {
			t.Errorf("%s in the mount after restart = %q, %v", key, b, err)
		}
	}
}

// TestDaemonRefusesBadConfig names the file and line of a mistake and
// exits with 2; cairn status without a daemon says so and exits with 1.
func TestDaemonRefusesBadConfig(t *testing.T) {
	c := newCLI(t)
	cfg := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(cfg, []byte("servers:\n  - name: s3\n    listen: 127.0.0.1:0\nmounts:\n  - name: m\n    target: s3://photos\n    mountpoint: /mnt/x\n    cache_size: huge\n"), 0o600)
	r := c.runIn(nil, "daemon", "--config", cfg)
	if r.code != 2 || !strings.Contains(r.stderr, cfg+":8: cache_size: size \"huge\"") {
		t.Errorf("bad config: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	os.WriteFile(cfg, []byte("mounts:\n  - name: m\n    target: s3://photos\n    mountpoint: /mnt/x\n    moutpoint: /mnt/y\n"), 0o600)
	r = c.runIn(nil, "daemon", "--config", cfg)
	if r.code != 2 || !strings.Contains(r.stderr, cfg+":5: unknown key \"moutpoint\" in mounts[0]") {
		t.Errorf("unknown key: exit %d, stderr:\n%s", r.code, r.stderr)
	}

	sock := filepath.Join(t.TempDir(), "none.sock")
	r = c.runIn(nil, "status", "--socket", sock)
	if r.code != 1 || !strings.Contains(r.stderr, "no cairn daemon is running") {
		t.Errorf("status without a daemon: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestDaemonLogsJSON: with --log-format json every line the daemon logs
// is a JSON object with a message.
func TestDaemonLogsJSON(t *testing.T) {
	e := newDaemonEnv(t)
	e.writeConfig("servers:\n  - name: s3\n    listen: 127.0.0.1:0\n")
	d := e.start("--log-format", "json")
	e.waitStates(d, map[string]string{"s3": "running"})
	d.stop(t, syscall.SIGINT)
	lines := strings.Split(strings.TrimSpace(d.log.String()), "\n")
	if len(lines) < 3 {
		t.Fatalf("log has %d lines:\n%s", len(lines), d.log)
	}
	for _, line := range lines {
		var rec struct{ Time, Level, Msg string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Msg == "" || rec.Level == "" {
			t.Errorf("log line %q is not a JSON record with a message: %v", line, err)
		}
	}
}
