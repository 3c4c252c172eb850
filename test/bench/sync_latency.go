package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// latencyCase is one run of edits under a running cairn sync.
type latencyCase struct {
	// name is what -cases matches, and the prefix the folder syncs to.
	name string
	// settle is the --settle given to cairn sync; 0 leaves its default.
	settle time.Duration
}

// latencyCases are the runs: cairn sync as it comes, and with a short
// settle time.
var latencyCases = []latencyCase{
	{name: "latency-default"},
	{name: "latency-100ms", settle: 100 * time.Millisecond},
}

// Edits of a latency run.
const (
	latencyBucket = "sync-latency"
	// latencyEdits is how many edits are timed, over latencyFiles files
	// in turn, each of editSize bytes.
	latencyEdits = 100
	latencyFiles = 10
	editSize     = 4 << 10
	// editTimeout bounds the wait for one edit to reach the server.
	editTimeout = time.Minute
	// pollEvery is how often the server is asked for the edited object.
	pollEvery = 5 * time.Millisecond
	// initialTimeout bounds the wait for the first pass of the folder.
	initialTimeout = 10 * time.Minute
)

// latencyResult is what a latency run measured: the time from each
// local write to the server holding it, sorted.
type latencyResult struct {
	lc      latencyCase
	command string
	// folder is the tree the folder held besides the edited files.
	folder dataset
	times  []time.Duration
}

// quantile is the nearest-rank q-quantile of the times.
func (l latencyResult) quantile(q float64) time.Duration {
	if len(l.times) == 0 {
		return 0
	}
	i := int(q*float64(len(l.times))+0.999999) - 1
	return l.times[min(max(i, 0), len(l.times)-1)]
}

// latency syncs a folder holding the small tree with a running cairn
// sync, waits for its first pass, then overwrites a file latencyEdits
// times and times each write until the server holds the new content.
func (r *syncRig) latency(ctx context.Context, e *env, lc latencyCase) (latencyResult, error) {
	ds := syncDatasets(e.cfg.short)[0]
	res := latencyResult{lc: lc, folder: ds}
	dir, err := r.latencyFolder(ctx, e, ds, lc.name)
	if err != nil {
		return res, err
	}
	home, err := r.home(lc.name)
	if err != nil {
		return res, err
	}
	args := []string{"--endpoint", r.endpoint, "sync"}
	if lc.settle > 0 {
		args = append(args, "--settle", lc.settle.String())
	}
	args = append(args, dir, "s3://"+latencyBucket+"/"+lc.name)
	res.command = r.render(r.bin, args)
	e.logf("%s: %s", lc.name, res.command)
	if r.running, err = startProc(lc.name, r.logs, cairnEnv(home), r.bin, args...); err != nil {
		return res, err
	}
	defer func() {
		r.running.stop(15 * time.Second)
		r.running = nil
	}()
	if err := r.waitFirstPass(ctx, lc.name+"/", ds.files+latencyFiles); err != nil {
		return res, err
	}
	if res.times, err = r.timeEdits(ctx, dir, lc.name+"/"); err != nil {
		return res, err
	}
	slices.Sort(res.times)
	e.logf("  median %v, p99 %v", res.quantile(0.5).Round(time.Millisecond), res.quantile(0.99).Round(time.Millisecond))
	return res, nil
}

// latencyFolder lays out the folder of a run: a copy of the small tree
// (written first if no initial sync did) and the files the edits
// overwrite, of their own, not links.
func (r *syncRig) latencyFolder(ctx context.Context, e *env, ds dataset, name string) (string, error) {
	src := filepath.Join(r.root, "src", ds.name)
	if _, err := os.Stat(src); err != nil {
		e.logf("writing %s: %s", ds.name, ds.title())
		if err := writeSource(ctx, src, ds); err != nil {
			return "", err
		}
	}
	dir := filepath.Join(r.root, "trees", name)
	if err := linkTree(src, dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(dir, "edits"), 0o755); err != nil {
		return "", fmt.Errorf("create edits: %w", err)
	}
	for i := range latencyFiles {
		if err := os.WriteFile(editPath(dir, i), editContent(-1-i), 0o644); err != nil {
			return "", fmt.Errorf("write %s: %w", editPath(dir, i), err)
		}
	}
	return dir, syncFS(dir)
}

// editPath is the file edit i overwrites.
func editPath(dir string, i int) string {
	return filepath.Join(dir, "edits", fmt.Sprintf("e%02d.txt", i%latencyFiles))
}

// editContent is the content edit i writes: editSize random bytes of its
// own.
func editContent(i int) []byte {
	b := make([]byte, editSize)
	rand.NewChaCha8(seedOf("edit", i)).Read(b)
	return b
}

// waitFirstPass waits until the running sync has stored want files below
// prefix.
func (r *syncRig) waitFirstPass(ctx context.Context, prefix string, want int) error {
	deadline := time.Now().Add(initialTimeout)
	for {
		n, _, err := r.stored(ctx, latencyBucket, prefix)
		switch {
		case err != nil:
			return err
		case n >= want:
			return nil
		case r.running.exited():
			return r.running.failure()
		case time.Now().After(deadline):
			return fmt.Errorf("first pass: %d of %d files stored within %v; log: %s", n, want, initialTimeout, r.running.log)
		}
		if err := sleepCtx(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
}

// timeEdits overwrites the edit files in turn and times each write until
// the server holds its content.
func (r *syncRig) timeEdits(ctx context.Context, dir, prefix string) ([]time.Duration, error) {
	var times []time.Duration
	for i := range latencyEdits {
		data := editContent(i)
		key := prefix + "edits/" + filepath.Base(editPath(dir, i))
		start := time.Now()
		if err := os.WriteFile(editPath(dir, i), data, 0o644); err != nil {
			return nil, fmt.Errorf("edit %d: %w", i, err)
		}
		if err := r.waitContent(ctx, key, data, start.Add(editTimeout)); err != nil {
			return nil, fmt.Errorf("edit %d: %w", i, err)
		}
		times = append(times, time.Since(start))
	}
	return times, nil
}

// waitContent polls the server until key holds data: its ETag is the MD5
// of data, or, for an ETag of a multipart upload, its bytes are.
func (r *syncRig) waitContent(ctx context.Context, key string, data []byte, deadline time.Time) error {
	sum := md5.Sum(data)
	want := `"` + hex.EncodeToString(sum[:]) + `"`
	for {
		out, err := r.s3.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(latencyBucket), Key: aws.String(key)})
		if err == nil && r.holds(ctx, key, aws.ToString(out.ETag), want, data) {
			return nil
		}
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case r.running.exited():
			return r.running.failure()
		case time.Now().After(deadline):
			return fmt.Errorf("%s not on the server within %v; log: %s", key, editTimeout, r.running.log)
		}
		time.Sleep(pollEvery)
	}
}

// holds tells whether the object of that ETag holds data.
func (r *syncRig) holds(ctx context.Context, key, etag, want string, data []byte) bool {
	if etag == want {
		return true
	}
	if !strings.Contains(etag, "-") {
		return false
	}
	body, err := r.s3.openIn(ctx, latencyBucket, key)
	if err != nil {
		return false
	}
	defer body.Close()
	return sameBytes(body, key, data) == nil
}

// sleepCtx waits for d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
