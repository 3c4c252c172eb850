package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// syncSuite times the first sync of the same trees by cairn sync, rclone
// sync, rclone bisync and aws s3 sync, each into a bucket of its own of
// one cairn serve, and how long cairn sync takes to carry a local edit to
// the server.
type syncSuite struct{}

func (syncSuite) name() string { return "sync" }

func (syncSuite) about() string {
	return "cairn sync vs rclone sync, rclone bisync and aws s3 sync on one cairn serve: initial sync, edit propagation"
}

func (syncSuite) run(ctx context.Context, e *env) (_ *table, err error) {
	st := &syncTable{}
	t := &table{title: "suite sync: cairn sync vs rclone sync, rclone bisync and aws s3 sync on the same cairn serve", render: st.print}
	sets, lats := wantedSyncCases(e)
	if len(sets) == 0 && len(lats) == 0 {
		return t, nil
	}
	aws, err := checkSyncTools()
	if err != nil {
		return nil, err
	}
	r, err := newSyncRig(filepath.Join(e.cfg.dir, "sync"), aws)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := r.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := r.start(ctx, e); err != nil {
		return nil, err
	}
	for _, ds := range sets {
		row, err := r.initialSync(ctx, e, ds)
		if err != nil {
			return nil, err
		}
		st.initial = append(st.initial, row)
	}
	for _, lc := range lats {
		res, err := r.latency(ctx, e, lc)
		if err != nil {
			return nil, err
		}
		st.latency = append(st.latency, res)
	}
	t.notes = syncNotes(e, r, st)
	return t, nil
}

// wantedSyncCases are the data sets and latency runs -cases selects.
func wantedSyncCases(e *env) ([]dataset, []latencyCase) {
	var sets []dataset
	for _, ds := range syncDatasets(e.cfg.short) {
		if e.wants(ds.name) {
			sets = append(sets, ds)
		}
	}
	var lats []latencyCase
	for _, lc := range latencyCases {
		if e.wants(lc.name) {
			lats = append(lats, lc)
		}
	}
	return sets, lats
}

// checkSyncTools fails early, saying what to install, when a contender
// is missing; it returns the aws CLI to run: Debian's when installed, as
// the interop tests prefer, else the one on PATH.
func checkSyncTools() (string, error) {
	var missing []string
	for _, t := range []string{"rclone", "go"} {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	aws := "/usr/bin/aws"
	if _, err := os.Stat(aws); err != nil {
		if aws, err = exec.LookPath("aws"); err != nil {
			missing = append(missing, "aws (awscli)")
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("the sync suite needs %v (make deps installs them)", missing)
	}
	return aws, nil
}

// syncRig is the sync suite's world below root: one cairn serve, the
// source trees, each contender's copy of them, and the logs.
type syncRig struct {
	root, logs string
	bin, aws   string
	endpoint   string
	serve      *proc
	s3         *sdkClient
	// running is the continuous cairn sync of a latency run, if one is.
	running *proc
	// runs are the initial syncs, in the order they ran, for the notes.
	runs []syncRun
}

// newSyncRig clears root and lays out its log directory.
func newSyncRig(root, aws string) (*syncRig, error) {
	if err := os.RemoveAll(root); err != nil {
		return nil, fmt.Errorf("clear %s: %w", root, err)
	}
	r := &syncRig{root: root, logs: filepath.Join(root, "logs"), aws: aws}
	if err := os.MkdirAll(r.logs, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", r.logs, err)
	}
	return r, nil
}

// start builds cairn, starts cairn serve and creates every bucket.
func (r *syncRig) start(ctx context.Context, e *env) error {
	var err error
	e.logf("building cairn")
	if r.bin, err = buildCairn(ctx, r.root); err != nil {
		return err
	}
	if r.serve, r.endpoint, err = startServe(ctx, r.bin, filepath.Join(r.root, "data"), r.logs); err != nil {
		return err
	}
	e.logf("cairn serve on %s", r.endpoint)
	if r.s3, err = newSDKClient(r.endpoint, 4, false); err != nil {
		return err
	}
	for _, b := range append(peerBuckets(), latencyBucket) {
		if err := r.createBucket(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// close stops every process the suite started and removes its files.
func (r *syncRig) close() error {
	if r.running != nil {
		r.running.stop(15 * time.Second)
	}
	if r.serve != nil {
		r.serve.stop(15 * time.Second)
	}
	if r.s3 != nil {
		r.s3.close()
	}
	if err := os.RemoveAll(r.root); err != nil {
		return fmt.Errorf("remove %s: %w", r.root, err)
	}
	return nil
}

// home is a private directory of a contender below the root, for its
// configuration and state, so that nothing of the user's is read or
// written.
func (r *syncRig) home(name string) (string, error) {
	dir := filepath.Join(r.root, "home", name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return dir, nil
}
