package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// mountSuite runs file workloads on cairn mount, s3fs and rclone mount
// over one cairn serve, and on the local disk as the ceiling.
type mountSuite struct{}

func (mountSuite) name() string { return "mount" }

func (mountSuite) about() string {
	return "cairn mount vs s3fs and rclone mount on one cairn serve, and the local disk: fio and shell workloads"
}

// mountTools are the programs the suite runs.
var mountTools = []string{"fio", "s3fs", "rclone", "fusermount3", "tar", "ls", "find", "go"}

func (mountSuite) run(ctx context.Context, e *env) (_ *table, err error) {
	// A kill or a closed terminal tears the mounts down too, as Ctrl-C does.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	mt := &mountTable{}
	t := &table{title: "suite mount: cairn mount vs s3fs and rclone mount on the same cairn serve, and the local disk", render: mt.print}
	plan := wantedWorkloads(e)
	if len(plan) == 0 {
		return t, nil
	}
	if err := checkMountTools(); err != nil {
		return nil, err
	}
	l, err := newLab(filepath.Join(e.cfg.dir, "mount"))
	if err != nil {
		return nil, err
	}
	defer func() {
		if terr := l.close(); terr != nil && err == nil {
			err = terr
		}
	}()
	if err := l.prepare(ctx, e, plan, mt); err != nil {
		return nil, err
	}
	load := loadAverage()
	if err := l.runAll(ctx, e, plan, mt); err != nil {
		return nil, err
	}
	t.notes = mountNotes(e, l, mt)
	t.notes = append(t.notes, fmt.Sprintf("Load average of the machine (1 min) when the workloads began: %s; when they ended: %s.", load, loadAverage()))
	return t, nil
}

// wantedWorkloads are the workloads -cases selects.
func wantedWorkloads(e *env) []*workload {
	var out []*workload
	for _, w := range mountWorkloads(e) {
		if e.wants(w.name) {
			out = append(out, w)
		}
	}
	return out
}

// checkMountTools fails early, and says what to install, when the suite
// cannot run here.
func checkMountTools() error {
	var missing []string
	for _, t := range mountTools {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the mount suite needs %v (make deps installs them)", missing)
	}
	if os.Geteuid() != 0 {
		return errors.New("the mount suite runs as root: it drops the kernel's caches before cold runs")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		return fmt.Errorf("the mount suite needs FUSE: %w", err)
	}
	return nil
}

// newLab clears root (unmounting what a killed run left there) and lays
// out the contenders' directories.
func newLab(root string) (*lab, error) {
	if err := unmountBelow(root); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(root); err != nil {
		return nil, fmt.Errorf("clear %s: %w", root, err)
	}
	l := &lab{root: root, logs: filepath.Join(root, "logs"), pattern: newPattern(), wasRead: map[string]bool{}}
	if err := os.MkdirAll(l.logs, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", l.logs, err)
	}
	for _, n := range contenderNames {
		c := &contender{name: n, dir: filepath.Join(root, "mnt", n)}
		if n == cLocal {
			c.dir = filepath.Join(root, "local")
		} else {
			c.bucket = bucketOf(n)
		}
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", c.dir, err)
		}
		l.all = append(l.all, c)
	}
	return l, nil
}

// close tears the lab down and, once nothing is mounted below it any
// more, removes its files.
func (l *lab) close() error {
	err := l.teardown()
	for _, c := range l.all {
		if c.mounted() && isMounted(c.dir) {
			return errors.Join(err, fmt.Errorf("%s is still mounted; %s is left in place", c.dir, l.root))
		}
	}
	if rerr := os.RemoveAll(l.root); rerr != nil {
		err = errors.Join(err, fmt.Errorf("remove %s: %w", l.root, rerr))
	}
	return err
}

// prepare builds cairn, starts cairn serve, fills every contender with
// the data the workloads need, measures the server's own GET and mounts.
func (l *lab) prepare(ctx context.Context, e *env, plan []*workload, mt *mountTable) error {
	var err error
	e.logf("building cairn")
	if l.bin, err = buildCairn(ctx, l.root); err != nil {
		return err
	}
	if l.wants(plan, "untar") {
		l.tarball = filepath.Join(l.root, "src.tar")
		if l.tarFiles, err = buildTarball(ctx, l.tarball); err != nil {
			return err
		}
	}
	if l.serve, l.endpoint, err = startServe(ctx, l.bin, filepath.Join(l.root, "data"), l.logs); err != nil {
		return err
	}
	e.logf("cairn serve on %s", l.endpoint)
	if l.s3, err = newSDKClient(l.endpoint, 32, false); err != nil {
		return err
	}
	if err := l.populate(ctx, e, plan); err != nil {
		return err
	}
	if l.wants(plan, "read-cold") {
		if mt.get, err = l.measureGET(ctx, e.cfg.fileSize); err != nil {
			return err
		}
		e.logf("server's own GET of %s, cold: %.0f MB/s", formatSize(e.cfg.fileSize), mt.get)
	}
	e.logf("mounting cairn, s3fs, rclone (writes, full)")
	return l.mountAll(ctx)
}

// wants tells whether the plan holds the workload.
func (l *lab) wants(plan []*workload, name string) bool {
	for _, w := range plan {
		if w.name == name {
			return true
		}
	}
	return false
}

// getBucket holds the copy of the large file the server's own GET reads.
const getBucket = "mnt-get"

// populate fills each contender, and the GET bucket, with the data the
// plan reads.
func (l *lab) populate(ctx context.Context, e *env, plan []*workload) error {
	var needs dataNeeds
	for _, w := range plan {
		needs.big = needs.big || w.needs.big
		needs.rand = needs.rand || w.needs.rand
		needs.ls = needs.ls || w.needs.ls
		needs.tree = needs.tree || w.needs.tree
	}
	keys := smallKeys(needs, e.cfg.entries)
	size := e.cfg.fileSize
	start := time.Now()
	for _, c := range l.all {
		e.logf("populating %s: %d large files of %s, %d small files", c.name, len(largeFiles(needs)), formatSize(size), len(keys))
		var err error
		if c.mounted() {
			err = l.populateBucket(ctx, c.bucket, needs, size, keys, l.pattern)
		} else {
			err = populateLocal(ctx, c.dir, needs, size, keys, l.pattern)
		}
		if err != nil {
			return fmt.Errorf("populate %s: %w", c.name, err)
		}
	}
	if l.wants(plan, "read-cold") {
		if err := l.populateBucket(ctx, getBucket, dataNeeds{big: true}, size, nil, l.pattern); err != nil {
			return err
		}
	}
	e.logf("populated in %v", time.Since(start).Round(time.Second))
	return nil
}

// measureGET times one GET of the large file through the SDK over
// loopback, after dropping the caches: the server's own throughput, the
// most a mount of it could read.
func (l *lab) measureGET(ctx context.Context, size int64) (float64, error) {
	if err := dropCaches(); err != nil {
		return 0, err
	}
	buf := make([]byte, 1<<20)
	start := time.Now()
	body, err := l.s3.openIn(ctx, getBucket, bigFile)
	if err != nil {
		return 0, err
	}
	n, err := drain(body, buf)
	body.Close()
	took := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", bigFile, err)
	}
	if n != size {
		return 0, fmt.Errorf("get %s: %d bytes of %d: %w", bigFile, n, size, errShort)
	}
	return mb(n, took), nil
}

// runAll runs every workload on every contender in turn. A workload that
// follows another (a warm read) runs on each contender right after it.
func (l *lab) runAll(ctx context.Context, e *env, plan []*workload, mt *mountTable) error {
	rows := map[string]*mountRow{}
	for _, w := range plan {
		rows[w.name] = &mountRow{w: w, figs: map[string]measurement{}}
		mt.rows = append(mt.rows, rows[w.name])
	}
	for _, w := range plan {
		if w.after != "" && rows[w.after] != nil {
			continue
		}
		for _, c := range l.all {
			for _, step := range append([]*workload{w}, followers(plan, w.name)...) {
				e.logf("%s on %s", step.name, c.name)
				m, err := step.run(ctx, l, c)
				if err != nil {
					return fmt.Errorf("%s on %s: %w", step.name, c.name, err)
				}
				e.logf("  %s %s in %v", formatRate(m.rate), step.unit, m.took.Round(time.Millisecond))
				rows[step.name].figs[c.name] = m
			}
		}
	}
	return nil
}

// followers are the workloads of the plan that run right after name.
func followers(plan []*workload, name string) []*workload {
	var out []*workload
	for _, w := range plan {
		if w.after == name {
			out = append(out, w)
		}
	}
	return out
}

// loadAverage is the machine's one-minute load average, which says how
// much the figures had to share the CPUs.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(data)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// mountNotes say what each contender is and how each figure was taken.
func mountNotes(e *env, l *lab, mt *mountTable) []string {
	notes := []string{
		"Figures are rates in the row's unit, higher is better; /s3fs, /rcl-w, /rcl-f are cairn's rate over theirs, /local",
		"  cairn's as a share of the local disk's. Every contender has its own bucket on one cairn serve (a subprocess",
		"  on 127.0.0.1, data on the same disk as local), holding the same data put there with the S3 API.",
		"cairn: cairn mount --endpoint, defaults (block cache 256 MiB memory, 4 GiB disk, empty at the start).",
		"s3fs: s3fs defaults, path-style, SigV4. rclone-writes, rclone-full: rclone mount --vfs-cache-mode writes, full,",
		"  --vfs-write-back 0s (the default 5s wait before uploading a closed file is not counted against it).",
		"local: a directory of the disk the server keeps its data on; the ceiling.",
		"Cold runs drop the kernel's page, dentry and inode caches first (drop_caches 3) and read what the contender",
		"  never read; warm read is the same file again right after. fio: one job, psync, 1 MiB (4 KiB random) blocks.",
		fmt.Sprintf("Random reads: 4 KiB blocks at random offsets of a second file of %s, each at most once, a sixteenth of",
			formatSize(e.cfg.fileSize)),
		fmt.Sprintf("  the file or %v of them. Writes (write, create, untar) are timed until the server", e.cfg.duration),
		"  holds every file (the local disk: until syncfs returns). ls -l and find are the first listing of their tree.",
	}
	if l.tarFiles > 0 {
		notes = append(notes, fmt.Sprintf("untar: tar -xf of %s, %d files.", srcTreeName, l.tarFiles))
	}
	if mt.get > 0 {
		notes = append(notes, fmt.Sprintf("GET: the server's own cold GET of the %s file over loopback (aws-sdk-go-v2, one request): %.0f MB/s.",
			formatSize(e.cfg.fileSize), mt.get))
	}
	return notes
}
