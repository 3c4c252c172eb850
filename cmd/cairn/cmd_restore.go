package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/cairnfs/cairn/sync/history"
	"github.com/cairnfs/cairn/sync/pair"
	"github.com/spf13/cobra"
)

// restoreFlags are the options of restore.
type restoreFlags struct {
	at, versionID, to string
	dryRun, keepNewer bool
}

func newRestoreCmd(a *app) *cobra.Command {
	var f restoreFlags
	cmd := &cobra.Command{
		Use:   "restore PATH|s3://BUCKET/KEY-OR-PREFIX (--at TIME | --version ID) [--to DIR]",
		Short: "Bring back a file or a whole folder as it was at a time",
		Long: `Bring back a file, or a whole folder, as it was at a time (--at) or as one
version of a file (--version). Newer history is never touched: the versions
written since stay in the bucket.

A path inside a folder synced by cairn sync is restored into place: each
file is written beside its name and renamed over it, and the files under a
restored folder that did not exist at that time are removed (the sync turns
that into delete markers, so they stay in the history) unless --keep-newer.
--to DIR writes the file or the folder's contents into DIR instead, and
removes nothing. An s3:// URL without --to is restored in the bucket itself:
old versions are copied server side into new latest versions, and keys that
did not exist then get delete markers; the bucket must have versioning on.

Files already as they were are left alone. --dry-run prints what would be
done. TIME is RFC 3339 (2026-03-01T14:30:00Z), a local "2026-03-01 14:30",
"2026-03-01 14:30:15" or "2026-03-01", "yesterday", or a time ago such as
"2h ago", "90m ago", "3 days ago", "1h30m ago".`,
		Example: `  cairn restore ~/docs --at "2h ago"
  cairn restore ~/docs/report.txt --at "2026-03-01 14:30" --to /tmp/old
  cairn restore ~/docs/report.txt --version 3HL4kqtJlcpXroDTDmJ
  cairn restore s3://backup/home/docs/ --at 2026-03-01T14:30:00Z --dry-run`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			req, err := f.request(time.Now())
			if err != nil {
				return err
			}
			return a.withHistory(cmd.Context(), args[0], func(st objstore.Store, t historyTarget) error {
				return restore(cmd.Context(), a, st, t, req, f)
			})
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.at, "at", "", "restore as it was at this time")
	fl.StringVar(&f.versionID, "version", "", "restore this version of a file")
	fl.StringVar(&f.to, "to", "", "write into this local directory instead of into place")
	fl.BoolVarP(&f.dryRun, "dry-run", "n", false, "print what would be done, and do nothing")
	fl.BoolVar(&f.keepNewer, "keep-newer", false, "keep the files that did not exist at that time instead of removing them")
	return cmd
}

// request checks the flags and reads the time.
func (f restoreFlags) request(now time.Time) (history.Request, error) {
	req := history.Request{VersionID: f.versionID, KeepNewer: f.keepNewer}
	switch {
	case f.at == "" && f.versionID == "":
		return req, usagef("say which state to restore: --at TIME or --version ID")
	case f.at != "" && f.versionID != "":
		return req, usagef("--at and --version do not go together")
	case strings.HasPrefix(f.to, s3Scheme):
		return req, usagef("--to takes a local directory; to restore in the bucket, give the s3:// URL without --to")
	case f.at == "":
		return req, nil
	}
	at, err := history.ParseTime(f.at, now, time.Local)
	if err != nil {
		return req, usagef("--at: %s", err)
	}
	req.At = at
	return req, nil
}

// restore plans the restore of t and carries it out, or prints it.
func restore(ctx context.Context, a *app, st objstore.Store, t historyTarget, req history.Request, f restoreFlags) error {
	req.Bucket, req.Key, req.Tree = t.bucket, t.key, t.tree
	if req.Tree && req.VersionID != "" {
		return usagef("%s is a folder: --version names a version of one file; use --at", t.arg)
	}
	plan, err := planRestore(ctx, st, t, req, f)
	if err != nil {
		return err
	}
	r := &restoreReport{a: a, t: t, plan: plan, req: req}
	r.warnSkips()
	if f.dryRun {
		return r.dryRun()
	}
	bar := newProgress(a, plan.Bytes())
	defer bar.clear()
	r.bar = bar
	sum, err := plan.Apply(ctx, st, history.ApplyOptions{Transfer: transfer.Options{Progress: bar.add}, Done: r.done})
	bar.clear()
	r.summary(sum, "")
	return err
}

// planRestore works out where the restore goes: into the bucket for an
// s3:// URL without --to, into DIR with --to, else into place.
func planRestore(ctx context.Context, st objstore.Store, t historyTarget, req history.Request, f restoreFlags) (*history.Plan, error) {
	switch {
	case f.to != "":
		lt := history.LocalTarget{Root: f.to, Protect: []string{pair.StateDirName}}
		if !req.Tree {
			lt.Path = path.Base(req.Key)
		}
		return history.PlanLocal(ctx, st, req, lt)
	case t.pair == nil:
		return history.PlanRemote(ctx, st, req)
	}
	lt := history.LocalTarget{Root: t.pair.Local, Path: t.rel, Prune: true, Protect: []string{pair.StateDirName}}
	return history.PlanLocal(ctx, st, req, lt)
}

// restoreReport prints the steps and the summary of a restore.
type restoreReport struct {
	a    *app
	t    historyTarget
	plan *history.Plan
	req  history.Request
	bar  *progress
}

// name is how a step's path is shown: the local path, or the s3:// URL.
func (r *restoreReport) name(s history.Step) string {
	if r.plan.Remote() {
		return location{bucket: r.plan.Bucket, key: s.Key}.String()
	}
	p := filepath.Join(r.plan.Root, filepath.FromSlash(s.Path))
	if s.Op == history.OpMkdir || s.Op == history.OpRemoveDir {
		p += string(filepath.Separator)
	}
	return p
}

// line describes a step as done ("restore: ...") or to be done.
func (r *restoreReport) line(s history.Step) string {
	switch s.Op {
	case history.OpWrite, history.OpCopy:
		return fmt.Sprintf("restore: %s (%s, %s, version %s)", r.name(s), formatTime(s.Version.LastModified), formatSize(s.Version.Size, true), s.Version.VersionID)
	case history.OpDelete:
		return "delete: " + r.name(s) + " (a delete marker; its versions stay)"
	}
	return s.Op.String() + ": " + r.name(s)
}

// warnSkips warns of every key the restore leaves out.
func (r *restoreReport) warnSkips() {
	for _, s := range r.plan.Steps {
		if s.Op == history.OpSkip {
			r.a.warnf("skipping %s: %s", location{bucket: r.plan.Bucket, key: s.Key}, s.Reason)
		}
	}
}

// done logs a step as it finishes.
func (r *restoreReport) done(s history.Step, err error) {
	switch {
	case err != nil:
		r.bar.clear()
		r.a.warnf("%s %s: %s", s.Op, r.name(s), describe(err))
	case s.Op != history.OpSame && s.Op != history.OpSkip:
		r.bar.println(r.a.stdout, r.line(s))
	}
}

// dryRun prints the plan.
func (r *restoreReport) dryRun() error {
	for _, s := range r.plan.Steps {
		if s.Op != history.OpSame && s.Op != history.OpSkip {
			fmt.Fprintln(r.a.stdout, "(dry run) "+r.line(s))
		}
	}
	r.summary(r.plan.Summary(), "dry run, nothing done: would have ")
	return nil
}

// summary prints what the restore did, and as of when.
func (r *restoreReport) summary(s history.Summary, lead string) {
	var parts []string
	parts = append(parts, fmt.Sprintf("restored %d (%s)", s.Restored, formatSize(s.Bytes, true)))
	if s.Dirs > 0 {
		parts = append(parts, fmt.Sprintf("created %d folders", s.Dirs))
	}
	removed := "removed"
	if r.plan.Remote() {
		removed = "deleted"
	}
	parts = append(parts, fmt.Sprintf("%s %d", removed, s.Removed), fmt.Sprintf("%d unchanged", s.Unchanged))
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", s.Skipped))
	}
	if s.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", s.Failed))
	}
	when := "as of " + formatTime(r.req.At)
	if r.req.VersionID != "" {
		when = "version " + r.req.VersionID
	}
	io.WriteString(r.a.stdout, lead+strings.Join(parts, ", ")+"; "+r.t.arg+" "+when+"\n")
}
