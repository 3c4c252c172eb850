package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/sync/history"
	"github.com/cairnfs/cairn/sync/pair"
	"github.com/spf13/cobra"
)

// versionsFlags are the options of versions.
type versionsFlags struct {
	asJSON, human bool
}

func newVersionsCmd(a *app) *cobra.Command {
	var f versionsFlags
	cmd := &cobra.Command{
		Use:   "versions PATH|s3://BUCKET/KEY-OR-PREFIX",
		Short: "List the versions of a file, or of every file under a folder",
		Long: `List the version history of a file, or of every file under a folder: the
time of each version, its size, its version ID, which one is the latest,
and the delete markers that record deletions.

The target is an s3:// URL or a path inside a folder synced by cairn sync,
whose bucket and store the sync recorded. A folder's versions are grouped
by file. --json prints one JSON array of every version instead.`,
		Example: `  cairn versions ~/docs/report.txt
  cairn versions ~/docs
  cairn versions s3://backup/home/docs/ --json`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return a.withHistory(cmd.Context(), args[0], func(st objstore.Store, t historyTarget) error {
				w := bufio.NewWriter(a.stdout)
				err := printVersions(cmd.Context(), st, w, t, f)
				if ferr := w.Flush(); err == nil {
					err = ferr
				}
				return err
			})
		}),
	}
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVarP(&f.human, "human-readable", "H", false, "show sizes in KiB, MiB, GiB")
	return cmd
}

// versionJSON is one version in versions --json.
type versionJSON struct {
	Path         string    `json:"path"`
	Key          string    `json:"key"`
	VersionID    string    `json:"versionId"`
	LastModified time.Time `json:"lastModified"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag,omitempty"`
	Latest       bool      `json:"latest"`
	DeleteMarker bool      `json:"deleteMarker"`
}

// printVersions streams the versions of t to w, as a table or JSON.
func printVersions(ctx context.Context, st objstore.Store, w io.Writer, t historyTarget, f versionsFlags) error {
	vs := history.Versions(ctx, st, t.bucket, t.key)
	if t.tree {
		vs = history.VersionsUnder(ctx, st, t.bucket, t.key)
	}
	n, group := 0, ""
	for v, err := range vs {
		if err != nil {
			return err
		}
		p := t.display(v.Key)
		switch {
		case f.asJSON:
			if err := writeVersionJSON(w, n, p, v); err != nil {
				return err
			}
		case t.tree && p != group:
			fmt.Fprintf(w, "%s\n", p)
			group = p
			fallthrough
		default:
			fmt.Fprintln(w, versionRow(v, t.tree, f.human))
		}
		n++
	}
	if n == 0 {
		return &verbatimError{fmt.Errorf("no versions found in %s", t.url())}
	}
	if f.asJSON {
		_, err := io.WriteString(w, "\n]\n")
		return err
	}
	return nil
}

// writeVersionJSON writes the n-th element of the JSON array.
func writeVersionJSON(w io.Writer, n int, p string, v objstore.ObjectInfo) error {
	b, err := json.Marshal(versionJSON{Path: p, Key: v.Key, VersionID: v.VersionID, LastModified: v.LastModified,
		Size: v.Size, ETag: v.ETag, Latest: v.IsLatest, DeleteMarker: v.DeleteMarker})
	if err != nil {
		return err
	}
	sep := ",\n  "
	if n == 0 {
		sep = "[\n  "
	}
	_, err = io.WriteString(w, sep+string(b))
	return err
}

// versionRow is one line of the table: time, size, version ID, marks.
func versionRow(v objstore.ObjectInfo, indent, human bool) string {
	size := formatSize(v.Size, human)
	var marks []string
	if v.IsLatest {
		marks = append(marks, "latest")
	}
	if v.DeleteMarker {
		size = "-"
		marks = append(marks, "deleted")
	}
	row := fmt.Sprintf("%s %10s %-32s %s", formatTime(v.LastModified), size, v.VersionID, strings.Join(marks, ","))
	row = strings.TrimRight(row, " ")
	if indent {
		return "  " + row
	}
	return row
}

// display is how a key is shown: its URL for an s3:// target, else its
// local path, spelled from the argument the user gave.
func (t historyTarget) display(key string) string {
	if t.pair == nil {
		return location{bucket: t.bucket, key: key}.String()
	}
	if !t.tree {
		return t.arg
	}
	rel, _ := t.pair.Rel(key)
	below := strings.TrimPrefix(rel, t.key[len(t.pair.Prefix):])
	p := filepath.Join(t.arg, filepath.FromSlash(below))
	if strings.HasSuffix(key, "/") && below != "" {
		p += string(filepath.Separator)
	}
	return p
}

// historyTarget is what versions and restore work on: one key or every
// key under a prefix, named by an s3:// URL or by a path in a synced
// folder.
type historyTarget struct {
	arg    string
	bucket string
	// key is the file's key, or the tree's prefix ("" or ending in "/").
	key  string
	tree bool
	// pair is the synced folder of a local path, and rel the path's
	// slash-separated place in it; nil for an s3:// URL.
	pair *pair.Pair
	rel  string
}

// withHistory resolves arg, opens the store it lives in, and runs fn on
// both. A local path must be inside a synced folder.
func (a *app) withHistory(ctx context.Context, arg string, fn func(objstore.Store, historyTarget) error) error {
	loc, err := parseLocation(arg)
	if err != nil {
		return err
	}
	t := historyTarget{arg: arg}
	if loc.remote() {
		t.bucket, t.key = loc.bucket, loc.key
		return on(loc.String(), a.withStore(ctx, func(st objstore.Store) error {
			if err := t.resolve(ctx, st, false); err != nil {
				return err
			}
			return fn(st, t)
		}))
	}
	p, rel, err := pair.Find(arg)
	if errors.Is(err, pair.ErrNotSynced) {
		return on(arg, &verbatimError{errors.New("not inside a folder synced by cairn sync; name the objects with an s3://bucket/key URL instead")})
	}
	if err != nil {
		return on(arg, err)
	}
	if rel == pair.StateDirName || strings.HasPrefix(rel, pair.StateDirName+"/") {
		return usagef("%s: the sync's own state has no history", arg)
	}
	t.pair, t.rel, t.bucket, t.key = &p, rel, p.Bucket, p.Key(rel)
	if rel == "" {
		t.key = p.Prefix
	}
	fi, statErr := os.Lstat(arg)
	return on(arg, a.withPairStore(ctx, p, func(st objstore.Store) error {
		if err := t.resolve(ctx, st, statErr == nil && fi.IsDir()); err != nil {
			return err
		}
		return fn(st, t)
	}))
}

// resolve decides whether the target is one file or a tree: a prefix
// ending in "/" or a local directory is a tree; else a key with history
// of its own is a file, and anything else the prefix of a tree.
func (t *historyTarget) resolve(ctx context.Context, st objstore.Store, localDir bool) error {
	if t.key == "" || strings.HasSuffix(t.key, "/") {
		t.tree = true
		return nil
	}
	if !localDir {
		isFile, err := history.HasVersions(ctx, st, t.bucket, t.key)
		if err != nil {
			return err
		}
		if isFile {
			return nil
		}
	}
	t.tree, t.key = true, t.key+"/"
	return nil
}

// url is the target as an s3:// URL.
func (t historyTarget) url() string { return location{bucket: t.bucket, key: t.key}.String() }
