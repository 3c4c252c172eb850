package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/spf13/cobra"
)

// lsFlags are the options of ls.
type lsFlags struct {
	recursive, human, versions bool
}

func newLsCmd(a *app) *cobra.Command {
	var f lsFlags
	cmd := &cobra.Command{
		Use:   "ls [s3://BUCKET[/PREFIX]]",
		Short: "List buckets, or the objects and folders under a prefix",
		Long: `List buckets, or the objects and folders under a prefix.

Without an argument, ls lists the buckets. With a bucket or prefix it lists,
one level deep, the objects there (time, size, name) and the folders below
("PRE name/"); --recursive lists every object under the prefix by its full
key instead. --versions lists every version and delete marker, with its
version ID; the current one is marked "latest".`,
		Example: `  cairn ls
  cairn ls s3://photos/2026/
  cairn ls s3://photos --recursive --human-readable`,
		Args: cobra.MaximumNArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return a.withStore(cmd.Context(), func(st objstore.Store) error {
					return listBuckets(cmd.Context(), st, a.stdout)
				})
			}
			loc, err := parseURL(args[0])
			if err != nil {
				return err
			}
			return on(loc.String(), a.withStore(cmd.Context(), func(st objstore.Store) error {
				w := bufio.NewWriter(a.stdout)
				if err := listObjects(cmd.Context(), st, w, loc, f); err != nil {
					w.Flush()
					return err
				}
				return w.Flush()
			}))
		}),
	}
	cmd.Flags().BoolVarP(&f.recursive, "recursive", "r", false, "list every object under the prefix")
	cmd.Flags().BoolVarP(&f.human, "human-readable", "H", false, "show sizes in KiB, MiB, GiB")
	cmd.Flags().BoolVar(&f.versions, "versions", false, "list every version and delete marker")
	return cmd
}

func listBuckets(ctx context.Context, st objstore.Store, w io.Writer) error {
	buckets, err := st.ListBuckets(ctx)
	if err != nil {
		return err
	}
	for _, b := range buckets {
		if _, err := fmt.Fprintf(w, "%s %s\n", formatTime(b.Created), b.Name); err != nil {
			return err
		}
	}
	return nil
}

// listObjects prints the objects (or versions) under loc. Names are shown
// relative to the folder the prefix is in, or whole with --recursive.
func listObjects(ctx context.Context, st objstore.Store, w io.Writer, loc location, f lsFlags) error {
	delim, trim := "/", loc.key[:strings.LastIndex(loc.key, "/")+1]
	if f.recursive {
		delim, trim = "", ""
	}
	if f.versions {
		return listVersions(ctx, st, w, loc, delim, trim, f)
	}
	opts := objstore.ListOptions{Prefix: loc.key, Delimiter: delim}
	for page, err := range transfer.ObjectPages(ctx, st, loc.bucket, opts) {
		if err != nil {
			return err
		}
		printPrefixes(w, page.CommonPrefixes, trim)
		for _, o := range page.Objects {
			fmt.Fprintf(w, "%s %10s %s\n", formatTime(o.LastModified), formatSize(o.Size, f.human), strings.TrimPrefix(o.Key, trim))
		}
	}
	return nil
}

func listVersions(ctx context.Context, st objstore.Store, w io.Writer, loc location, delim, trim string, f lsFlags) error {
	opts := objstore.ListVersionsOptions{Prefix: loc.key, Delimiter: delim}
	for page, err := range transfer.VersionPages(ctx, st, loc.bucket, opts) {
		if err != nil {
			return err
		}
		printPrefixes(w, page.CommonPrefixes, trim)
		for _, v := range page.Versions {
			size, latest := formatSize(v.Size, f.human), ""
			if v.DeleteMarker {
				size = "DELETED"
			}
			if v.IsLatest {
				latest = "latest"
			}
			fmt.Fprintf(w, "%s %10s %-32s %-6s %s\n", formatTime(v.LastModified), size, v.VersionID, latest, strings.TrimPrefix(v.Key, trim))
		}
	}
	return nil
}

// printPrefixes prints folders as aws s3 ls does: "PRE name/", aligned
// with the names of objects.
func printPrefixes(w io.Writer, prefixes []string, trim string) {
	for _, p := range prefixes {
		fmt.Fprintf(w, "%30s %s\n", "PRE", strings.TrimPrefix(p, trim))
	}
}
