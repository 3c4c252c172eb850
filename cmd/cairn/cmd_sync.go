package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/engine"
	"github.com/cairnfs/cairn/sync/ignore"
	"github.com/cairnfs/cairn/sync/pair"
	"github.com/cairnfs/cairn/sync/state"
	"github.com/spf13/cobra"
)

// syncFlags are the options of cairn sync.
type syncFlags struct {
	writes           writeFlags
	mode             string
	once, dryRun     bool
	force            bool
	maxDelete        int
	enableVersioning bool
	interval, settle time.Duration
	excludes         []string
	noDefaultIgnores bool
	concurrency      int
	partSize         sizeFlag
	serve            string
}

// maxSettleWait bounds how long sync --once waits for files that are
// still being written.
const maxSettleWait = 2 * time.Minute

// newSyncCmd builds cairn sync, with subcommands (pause and resume of a
// daemon's syncs).
func newSyncCmd(a *app, sub ...*cobra.Command) *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync [flags] LOCAL_DIR [s3://BUCKET[/PREFIX]]",
		Short: "Keep a folder and a bucket prefix in step, or back a folder up continuously",
		Long: `Keep a local folder and a bucket prefix in step, live.

--mode two-way (the default) carries creates, edits, deletes and renames
both ways. --mode backup uploads local changes only: local deletes become
delete markers and nothing remote ever changes the folder; the bucket must
have versioning (--enable-versioning turns it on), so that every overwrite
and delete stays in its history (see cairn versions and cairn restore).

Each decision is a three-way compare with the last-synced state, kept in
LOCAL_DIR/.cairn. Conflicts keep both sides: the older one is saved as
"name (conflict DATE TIME host).ext". A modification beats a delete. A
rename is done as a server-side copy. A pass that would delete more than
--max-delete percent of the files, or finds one side empty, is refused
unless --force. Editor and office temporary files are skipped; a
.cairnignore file (gitignore syntax) adds patterns.

Without --once it keeps running: local changes come from a file watcher,
remote ones from listing every --interval, and at once for writes made
through --serve (the embedded store served over S3 by the same process).
Once a folder is paired, the URL may be left out.`,
		Example: `  cairn sync ~/Documents s3://backup/laptop/documents --mode backup --enable-versioning
  cairn sync ~/shared s3://team/shared
  cairn sync --once --dry-run ~/shared
  cairn --endpoint http://127.0.0.1:9000 sync ./site s3://www`,
		Args: cobra.RangeArgs(1, 2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return a.sync(cmd.Context(), args, f)
		}),
	}
	fl := cmd.Flags()
	f.writes.register(fl, true)
	fl.StringVar(&f.mode, "mode", string(engine.TwoWay), "two-way or backup")
	fl.BoolVar(&f.once, "once", false, "run one pass and exit, with a summary")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print what a pass would do, change nothing (implies --once)")
	fl.BoolVar(&f.force, "force", false, "allow passes that delete more than --max-delete, or that find one side empty")
	fl.IntVar(&f.maxDelete, "max-delete", engine.DefaultMaxDelete, "refuse a pass deleting more than this percentage of the files")
	fl.BoolVar(&f.enableVersioning, "enable-versioning", false, "turn on versioning of the bucket if it is off (backup mode needs it)")
	fl.DurationVar(&f.interval, "interval", engine.DefaultInterval, "how often to look for remote changes")
	fl.DurationVar(&f.settle, "settle", engine.DefaultSettle, "how long a file must stay unmodified before it is uploaded")
	fl.StringArrayVar(&f.excludes, "exclude", nil, "skip paths matching this pattern (gitignore syntax; repeatable)")
	fl.BoolVar(&f.noDefaultIgnores, "no-default-excludes", false, "do not skip editor, office and OS temporary files")
	fl.IntVar(&f.concurrency, "concurrency", engine.DefaultConcurrency, "files transferred at once")
	f.partSize = sizeFlag(transfer.DefaultPartSize)
	fl.Var(&f.partSize, "part-size", "part size of multipart uploads (at least 5MiB)")
	fl.StringVar(&f.serve, "serve", "", "also serve the embedded store over S3 on this address; what S3 clients write there is synced at once")
	cmd.AddCommand(sub...)
	return cmd
}

// sync runs cairn sync.
func (a *app) sync(ctx context.Context, args []string, f syncFlags) error {
	mode := engine.Mode(f.mode)
	if mode != engine.TwoWay && mode != engine.Backup {
		return usagef("--mode %q: want two-way or backup", f.mode)
	}
	p, err := a.syncPair(args, mode)
	if err != nil {
		return err
	}
	with := a.withStore
	if len(args) == 1 {
		// A paired folder syncs with the store it was paired on.
		with = func(ctx context.Context, fn func(objstore.Store) error) error { return a.withPairStore(ctx, p, fn) }
	}
	return with(ctx, func(st objstore.Store) error {
		check := func() error { return checkVersioning(ctx, st, p, f.enableVersioning, a) }
		if f.once || f.dryRun {
			if err := check(); err != nil {
				return err
			}
		} else if err := a.untilReachable(ctx, check); err != nil {
			return err
		}
		if !f.dryRun {
			if err := p.Save(); err != nil {
				return err
			}
		}
		return a.runSync(ctx, st, p, f)
	})
}

// untilReachable runs check until it passes, and again after a pause
// (growing to a minute) while it fails because the store cannot be
// reached: a continuous sync started before its server waits for it. A
// refusal from the store (no such bucket, access denied: see
// objstore.Refused) ends it at once.
func (a *app) untilReachable(ctx context.Context, check func() error) error {
	delay := time.Second
	for {
		err := check()
		if err == nil || objstore.Refused(err) {
			return err
		}
		fmt.Fprintf(a.stderr, "cairn: sync: %v; trying again in %v\n", err, delay)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Minute)
	}
}

// syncPair resolves the folder and the remote side, checking them against
// the pair the folder already has.
func (a *app) syncPair(args []string, mode engine.Mode) (pair.Pair, error) {
	local, err := filepath.Abs(args[0])
	if err != nil {
		return pair.Pair{}, fmt.Errorf("resolve %s: %w", args[0], err)
	}
	if fi, err := os.Stat(local); err != nil || !fi.IsDir() {
		return pair.Pair{}, &targetError{args[0], fmt.Errorf("not a directory: %w", errOr(err, errors.ErrUnsupported))}
	}
	old, oldErr := pair.Load(local)
	if len(args) == 1 {
		if oldErr != nil {
			return pair.Pair{}, usagef("%s is not synced yet: give the s3://BUCKET/PREFIX to sync it with", args[0])
		}
		old.Mode = string(mode)
		return old, nil
	}
	loc, err := parseURL(args[1])
	if err != nil {
		return pair.Pair{}, err
	}
	prefix := loc.key
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	p := pair.Pair{Local: local, Bucket: loc.bucket, Prefix: prefix, Endpoint: a.remote.endpoint,
		Region: a.remote.region, Profile: a.remote.profile, Mode: string(mode)}
	if p.Endpoint == "" {
		p.DataDir, _ = filepath.Abs(a.dataDir)
	}
	if oldErr == nil && (old.Bucket != p.Bucket || old.Prefix != p.Prefix || old.Endpoint != p.Endpoint) {
		return pair.Pair{}, usagef("%s is already synced with %s%s; remove %s to pair it with %s%s",
			args[0], old.Remote(), endpointNote(old.Endpoint), filepath.Join(local, pair.StateDirName), p.Remote(), endpointNote(p.Endpoint))
	}
	return p, nil
}

// endpointNote names an endpoint in a message, if there is one.
func endpointNote(ep string) string {
	if ep == "" {
		return " on the embedded store"
	}
	return " on " + ep
}

// errOr returns err, or def when err is nil.
func errOr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// checkVersioning makes sure the bucket exists and, in backup mode, keeps
// versions; two-way mode only warns without them.
func checkVersioning(ctx context.Context, st objstore.Store, p pair.Pair, enable bool, a *app) error {
	v, err := st.GetBucketVersioning(ctx, p.Bucket)
	if err != nil {
		return &targetError{"s3://" + p.Bucket, err}
	}
	if v == objstore.VersioningEnabled {
		return nil
	}
	if enable {
		if err := st.PutBucketVersioning(ctx, p.Bucket, objstore.VersioningEnabled); err != nil {
			return &targetError{"s3://" + p.Bucket, fmt.Errorf("enable versioning: %w", err)}
		}
		fmt.Fprintf(a.stderr, "cairn: turned on versioning of s3://%s\n", p.Bucket)
		return nil
	}
	if engine.Mode(p.Mode) == engine.Backup {
		return &targetError{"s3://" + p.Bucket, errors.New("versioning is off, so a backup would not keep old versions; run with --enable-versioning to turn it on")}
	}
	a.warnf("versioning of s3://%s is off: overwritten and deleted files are not kept (--enable-versioning turns it on)", p.Bucket)
	return nil
}

// runSync opens the pair's state and runs passes.
func (a *app) runSync(ctx context.Context, st objstore.Store, p pair.Pair, f syncFlags) error {
	db, err := state.Open(filepath.Join(p.StateDir(), "state"))
	if err != nil {
		return err
	}
	defer db.Close()
	ign, err := ignore.New(p.Local, ignore.Options{NoDefaults: f.noDefaultIgnores, Extra: f.excludes, Logger: a.logger})
	if err != nil {
		return err
	}
	rep := newSyncReporter(a, f.once || f.dryRun)
	opts := engine.Options{
		Mode: engine.Mode(p.Mode), DryRun: f.dryRun, Force: f.force, MaxDelete: f.maxDelete,
		Settle: f.settle, Interval: f.interval, Concurrency: f.concurrency,
		Transfer: transfer.Options{PartSize: int64(f.partSize)},
		Ignore:   ign, Reporter: rep, Logger: a.logger,
	}
	if f.once || f.dryRun {
		wst, err := f.writes.apply(st)
		if err != nil {
			return err
		}
		return a.syncOnce(ctx, engine.New(wst, p, db, opts), rep, f)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f.serve != "" {
		if a.remote.endpoint != "" {
			return usagef("--serve serves the embedded store; it cannot go with --endpoint")
		}
		es, ok := st.(*embedded.Store)
		if !ok {
			return &lockedError{a.dataDir}
		}
		stopServe, err := a.serveAlongside(es, f.serve)
		if err != nil {
			return err
		}
		defer stopServe()
		opts.RemoteChanged, st = es.Changes(), es.Quiet()
	}
	wst, err := f.writes.apply(st)
	if err != nil {
		return err
	}
	e := engine.New(wst, p, db, opts)
	fmt.Fprintf(a.stderr, "cairn: syncing %s with %s (%s); Ctrl-C stops\n", p.Local, p.Remote(), p.Mode)
	defer a.ready(fmt.Sprintf("syncing %s with %s (%s)", p.Local, p.Remote(), p.Mode))()
	return e.Run(ctx, func(s engine.Summary, err error) { rep.passDone(s, err) })
}

// syncOnce runs one pass, then more over files that were still being
// written, for at most maxSettleWait.
func (a *app) syncOnce(ctx context.Context, e *engine.Engine, rep *syncReporter, f syncFlags) error {
	var total engine.Summary
	deadline := time.Now().Add(maxSettleWait)
	for {
		sum, actions, err := e.Pass(ctx)
		if err != nil {
			return err
		}
		if f.dryRun {
			shown := 0
			for _, act := range actions {
				if !act.Quiet() {
					fmt.Fprintln(a.stdout, act)
					shown++
				}
			}
			fmt.Fprintf(a.stderr, "cairn: dry run: %d actions, nothing changed", shown)
			if sum.Pending > 0 {
				fmt.Fprintf(a.stderr, "; %d files are still being written and wait for a later pass", sum.Pending)
			}
			fmt.Fprintln(a.stderr)
			return nil
		}
		total.Add(sum)
		if sum.Pending == 0 || sum.Failed > 0 || time.Now().After(deadline) {
			break
		}
		total.Pending -= sum.Pending
		time.Sleep(f.settle)
	}
	rep.finish()
	fmt.Fprintf(a.stdout, "%s\n", total)
	if total.Failed > 0 {
		return fmt.Errorf("%d of the files failed to sync: %w", total.Failed, errors.Join(total.Errors...))
	}
	return nil
}
