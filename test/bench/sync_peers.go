package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// syncPeer is one contender of the initial sync: a command that copies a
// local tree to a bucket prefix, with its defaults.
type syncPeer struct {
	// name heads the contender's column and names its bucket.
	name string
	// command is the program, its arguments and what it adds to the
	// environment to sync dir to s3://bucket/prefix, home being a private
	// directory for its configuration and state.
	command func(r *syncRig, home, dir, url string) (bin string, args, env []string)
}

// Contender names, in the order of the table's columns.
const (
	pCairn  = "cairn"
	pRclone = "rclone-sync"
	pBisync = "rclone-bisync"
	pAWS    = "aws-s3-sync"
)

// syncPeers lists the contenders, cairn first, in the order they run.
var syncPeers = []syncPeer{
	{name: pCairn, command: cairnSyncCommand},
	{name: pRclone, command: rcloneCommand("sync")},
	{name: pBisync, command: rcloneCommand("bisync")},
	{name: pAWS, command: awsSyncCommand},
}

// peerBuckets are the buckets of the contenders.
func peerBuckets() []string {
	var out []string
	for _, p := range syncPeers {
		out = append(out, peerBucket(p.name))
	}
	return out
}

// peerBucket is the bucket a contender syncs into.
func peerBucket(name string) string { return "sync-" + name }

// cairnSyncCommand is one pass of cairn sync, with its defaults (two-way).
func cairnSyncCommand(r *syncRig, home, dir, url string) (string, []string, []string) {
	return r.bin, []string{"--endpoint", r.endpoint, "sync", "--once", dir, url}, cairnEnv(home)
}

// cairnEnv gives cairn its credential and keeps it out of the user's
// configuration and caches.
func cairnEnv(home string) []string {
	return append(serveEnv(), "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
}

// rcloneCommand is rclone sync or rclone bisync with its defaults, on an
// S3 remote configured in the environment; bisync's first run needs
// --resync, and keeps its listings in home.
func rcloneCommand(verb string) func(r *syncRig, home, dir, url string) (string, []string, []string) {
	return func(r *syncRig, home, dir, url string) (string, []string, []string) {
		remote := "cairn:" + strings.TrimPrefix(url, "s3://")
		args := []string{verb, dir, remote, "--config", filepath.Join(home, "rclone.conf")}
		if verb == "bisync" {
			args = append(args, "--resync", "--workdir", filepath.Join(home, "bisync"))
		}
		env := []string{
			"RCLONE_CONFIG_CAIRN_TYPE=s3", "RCLONE_CONFIG_CAIRN_PROVIDER=Other",
			"RCLONE_CONFIG_CAIRN_ENDPOINT=" + r.endpoint, "RCLONE_CONFIG_CAIRN_REGION=" + benchRegion,
			"RCLONE_CONFIG_CAIRN_ACCESS_KEY_ID=" + benchCredential.AccessKey,
			"RCLONE_CONFIG_CAIRN_SECRET_ACCESS_KEY=" + benchCredential.SecretKey,
			"RCLONE_CONFIG_CAIRN_FORCE_PATH_STYLE=true",
			// rclone fails on a CA bundle set for the AWS tools; the server is plain HTTP.
			"AWS_CA_BUNDLE=",
		}
		return "rclone", args, env
	}
}

// awsSyncCommand is aws s3 sync with its defaults, printing errors only
// (its log is a file), credentials in the environment and no
// configuration file of the user's.
func awsSyncCommand(r *syncRig, home, dir, url string) (string, []string, []string) {
	none := filepath.Join(home, "none")
	env := []string{
		"AWS_ACCESS_KEY_ID=" + benchCredential.AccessKey, "AWS_SECRET_ACCESS_KEY=" + benchCredential.SecretKey,
		"AWS_DEFAULT_REGION=" + benchRegion, "AWS_CONFIG_FILE=" + none, "AWS_SHARED_CREDENTIALS_FILE=" + none,
		"AWS_CA_BUNDLE=", "AWS_PAGER=",
	}
	return r.aws, []string{"--endpoint-url", r.endpoint, "s3", "sync", "--only-show-errors", dir, url}, env
}

// syncRun is one contender's initial sync of one tree.
type syncRun struct {
	peer, set string
	// command is what ran, paths relative to the rig's root.
	command string
	took    time.Duration
}

// syncRow is one tree synced by every contender.
type syncRow struct {
	ds   dataset
	took map[string]time.Duration
}

// initialSync writes the tree once, then has every contender sync a copy
// of it of its own (hard links to the same files) into its bucket, each
// timed from its start to its exit and checked against the server. It
// does so -rounds times, each into a new prefix from a new copy, the
// contender that goes first rotating, and keeps each one's median.
func (r *syncRig) initialSync(ctx context.Context, e *env, ds dataset) (syncRow, error) {
	row := syncRow{ds: ds, took: map[string]time.Duration{}}
	src := filepath.Join(r.root, "src", ds.name)
	e.logf("writing %s: %s", ds.name, ds.title())
	if err := writeSource(ctx, src, ds); err != nil {
		return row, err
	}
	took := map[string][]time.Duration{}
	for round := range e.cfg.rounds {
		for _, p := range rotated(syncPeers, round) {
			run, err := r.syncRound(ctx, p, src, ds, round)
			if err != nil {
				return row, fmt.Errorf("%s of %s: %w", p.name, ds.name, err)
			}
			e.logf("  round %d/%d %s: %v", round+1, e.cfg.rounds, p.name, run.took.Round(time.Millisecond))
			took[p.name] = append(took[p.name], run.took)
			if round == 0 {
				r.runs = append(r.runs, run)
			}
		}
	}
	for name, ts := range took {
		row.took[name] = median(ts)
	}
	return row, nil
}

// rotated is the contenders in the order of a round: each round starts
// one further along, so that none always runs first or last.
func rotated(peers []syncPeer, round int) []syncPeer {
	k := round % len(peers)
	return append(slices.Clone(peers[k:]), peers[:k]...)
}

// median is the middle of the durations (the lower one of an even count).
func median(ts []time.Duration) time.Duration {
	s := slices.Sorted(slices.Values(ts))
	return s[(len(s)-1)/2]
}

// syncRound has a contender sync a new copy of src into the prefix of the
// round: the tree's name, and the round's number after the first.
func (r *syncRig) syncRound(ctx context.Context, p syncPeer, src string, ds dataset, round int) (syncRun, error) {
	name := ds.name
	if round > 0 {
		name = fmt.Sprintf("%s-%d", ds.name, round+1)
	}
	dir := filepath.Join(r.root, "trees", p.name, name)
	if err := linkTree(src, dir); err != nil {
		return syncRun{}, err
	}
	return r.syncOnce(ctx, p, dir, name, ds)
}

// syncOnce runs a contender's sync of dir into the prefix name, after
// flushing what the server wrote before to the disk, and checks that the
// server holds the tree.
func (r *syncRig) syncOnce(ctx context.Context, p syncPeer, dir, name string, ds dataset) (syncRun, error) {
	home, err := r.home(p.name)
	if err != nil {
		return syncRun{}, err
	}
	bucket, prefix := peerBucket(p.name), name+"/"
	bin, args, env := p.command(r, home, dir, "s3://"+bucket+"/"+name)
	if err := syncFS(r.root); err != nil {
		return syncRun{}, err
	}
	took, err := r.runTimed(ctx, name+"-"+p.name, env, bin, args...)
	if err != nil {
		return syncRun{}, err
	}
	if err := r.checkStored(ctx, bucket, prefix, ds); err != nil {
		return syncRun{}, err
	}
	return syncRun{peer: p.name, set: ds.name, command: r.render(bin, args), took: took}, nil
}

// runTimed runs a command to its end and returns how long it took; a
// failure carries the end of its log. Ctrl-C stops it.
func (r *syncRig) runTimed(ctx context.Context, name string, env []string, bin string, args ...string) (time.Duration, error) {
	start := time.Now()
	p, err := startProc(name, r.logs, env, bin, args...)
	if err != nil {
		return 0, err
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		p.stop(5 * time.Second)
		return 0, ctx.Err()
	}
	took := time.Since(start)
	if p.err != nil {
		return 0, p.failure()
	}
	return took, nil
}

// render prints a command as it could be pasted into a shell at the
// rig's root.
func (r *syncRig) render(bin string, args []string) string {
	parts := []string{filepath.Base(bin)}
	if filepath.Base(bin) == "aws" {
		parts[0] = bin
	}
	for _, a := range args {
		if rel, ok := strings.CutPrefix(a, r.root+string(os.PathSeparator)); ok {
			a = rel
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
