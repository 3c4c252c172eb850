package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"time"
)

// testDaemon runs a daemon on the config text in a temp dir.
type testDaemon struct {
	t      *testing.T
	d      *Daemon
	c      *Client
	config string
	head   string
	// stop stops the daemon and waits for it; the test's cleanup calls it too.
	stop func()
}

func startDaemon(t *testing.T, body string, buckets ...string) *testDaemon {
	t.Helper()
	dir := t.TempDir()
	makeBuckets(t, filepath.Join(dir, "data"), buckets...)
	td := &testDaemon{t: t, config: filepath.Join(dir, "cairn.yaml"),
		head: fmt.Sprintf("data: %s\nsocket: %s\n", filepath.Join(dir, "data"), filepath.Join(dir, "c.sock"))}
	td.write(body)
	cfg, err := LoadConfig(td.config)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CAIRN_ACCESS_KEY": "", "CAIRN_SECRET_KEY": ""}
	td.d, err = New(cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- td.d.Run(ctx) }()
	td.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon run: %v", err)
		}
	})
	t.Cleanup(td.stop)
	td.c = NewClient(filepath.Join(dir, "c.sock"))
	return td
}

func (td *testDaemon) write(body string) {
	td.t.Helper()
	if err := os.WriteFile(td.config, []byte(td.head+body), 0o600); err != nil {
		td.t.Fatal(err)
	}
}

// wait polls the status until cond holds (for at most a minute).
func (td *testDaemon) wait(what string, cond func(map[string]UnitStatus) bool) map[string]UnitStatus {
	td.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := td.c.Status(context.Background())
		units := map[string]UnitStatus{}
		if err == nil {
			for _, u := range st.Units {
				units[u.Name] = u
			}
			if cond(units) {
				return units
			}
		}
		if time.Now().After(deadline) {
			td.t.Fatalf("no %s after a minute: %+v, %v", what, units, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFailingUnitIsRestartedWithItsNewError(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "later")
	td := startDaemon(t, fmt.Sprintf("syncs:\n  - {name: s, local: %s, remote: s3://bucket}\n", folder))
	u := td.wait("failure", func(u map[string]UnitStatus) bool { return u["s"].Restarts >= 1 })["s"]
	if u.LastError == "" {
		t.Errorf("failed unit without an error: %+v", u)
	}
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	// The bucket is missing too: the sync keeps failing with that.
	td.wait("a missing bucket reported", func(u map[string]UnitStatus) bool {
		return u["s"].State != StateRunning && strings.Contains(u["s"].LastError, "NoSuchBucket")
	})
}

func TestReloadRestartsOnlyWhatChanged(t *testing.T) {
	td := startDaemon(t, "servers:\n  - {name: a, listen: '127.0.0.1:0'}\n  - {name: b, listen: '127.0.0.1:0'}\n")
	running := func(names ...string) func(map[string]UnitStatus) bool {
		return func(u map[string]UnitStatus) bool {
			if len(u) != len(names) {
				return false
			}
			for _, n := range names {
				if u[n].State != StateRunning {
					return false
				}
			}
			return true
		}
	}
	before := td.wait("a and b running", running("a", "b"))
	td.write("servers:\n  - {name: a, listen: '127.0.0.1:0'}\n  - {name: b, listen: '127.0.0.1:0', region: eu-west-1}\n  - {name: c, listen: '127.0.0.1:0'}\n")
	if err := td.d.Reload(); err != nil {
		t.Fatal(err)
	}
	after := td.wait("a, b and c running", running("a", "b", "c"))
	if after["a"].Where != before["a"].Where {
		t.Errorf("untouched server a moved: %s -> %s", before["a"].Where, after["a"].Where)
	}
	if after["b"].Where == before["b"].Where {
		t.Errorf("changed server b kept its listener %s", after["b"].Where)
	}
	td.write("servers:\n  - {name: c, listen: '127.0.0.1:0'}\n")
	if err := td.d.Reload(); err != nil {
		t.Fatal(err)
	}
	td.wait("only c running", running("c"))

	td.write("servers:\n  - {name: c, listen: nowhere}\n")
	var ce *ConfigError
	if err := td.d.Reload(); !errors.As(err, &ce) || ce.Line != 4 {
		t.Errorf("reload of a bad config: %v, want a ConfigError at line 4", err)
	}
	td.wait("c still running", running("c"))
}

func TestControlOfUnknownUnits(t *testing.T) {
	td := startDaemon(t, "")
	ctx := context.Background()
	td.wait("the daemon up", func(map[string]UnitStatus) bool { return true })
	if err := td.c.Pause(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("pause of an unknown sync: %v", err)
	}
	if _, err := td.c.Unmount(ctx, "/nowhere"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unmount of an unknown mountpoint: %v", err)
	}
	if _, err := NewClient(filepath.Join(t.TempDir(), "none.sock")).Status(ctx); !errors.Is(err, ErrNoDaemon) {
		t.Errorf("status without a daemon: %v", err)
	}
	fi, err := os.Stat(td.c.socket)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("control socket mode: %v, %v", fi.Mode(), err)
	}
}

// makeBuckets creates buckets in the embedded store of data.
func makeBuckets(t *testing.T, data string, buckets ...string) {
	t.Helper()
	if len(buckets) == 0 {
		return
	}
	st, err := disk.Open(data, disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, b := range buckets {
		if err := st.CreateBucket(context.Background(), b, objstore.CreateBucketOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSyncPausesAndResumes(t *testing.T) {
	folder := t.TempDir()
	if err := os.WriteFile(filepath.Join(folder, "a.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	td := startDaemon(t, fmt.Sprintf("syncs:\n  - {name: s, local: %s, remote: s3://bucket/p}\n", folder), "bucket")
	td.wait("a.txt synced", func(u map[string]UnitStatus) bool { return u["s"].LastSync != nil && u["s"].BytesMoved == 5 })
	ctx := context.Background()
	if err := td.c.Pause(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	td.wait("s paused", func(u map[string]UnitStatus) bool { return u["s"].State == StatePaused })
	if err := td.c.Pause(ctx, "s"); err != nil {
		t.Errorf("pause of a paused sync: %v", err)
	}
	if err := os.WriteFile(filepath.Join(folder, "b.txt"), []byte("world!"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := td.c.Resume(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	td.wait("b.txt synced after resume", func(u map[string]UnitStatus) bool {
		return u["s"].State == StateRunning && u["s"].BytesMoved == 11 && u["s"].Files == 2
	})
}
