package main

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/spf13/cobra"
)

// rmFlags are the options of rm.
type rmFlags struct {
	recursive bool
	versionID string
}

func newRmCmd(a *app) *cobra.Command {
	var f rmFlags
	cmd := &cobra.Command{
		Use:   "rm s3://BUCKET/KEY",
		Short: "Delete an object, or every object under a prefix",
		Long: `Delete an object, or with --recursive every object under a prefix.

On a bucket with versioning enabled a delete adds a delete marker and keeps
the versions; --version-id deletes one version for good.`,
		Example: "  cairn rm s3://photos/2026/holiday.jpg\n  cairn rm s3://photos/2026/ --recursive",
		Args:    cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			loc, err := parseURL(args[0])
			if err != nil {
				return err
			}
			switch {
			case f.recursive && f.versionID != "":
				return usagef("--version-id deletes one object: it does not go with --recursive")
			case !f.recursive && loc.isDirLike():
				return usagef("%s: expected an object URL (s3://bucket/key), or --recursive", args[0])
			}
			return on(loc.String(), a.withStore(cmd.Context(), func(st objstore.Store) error {
				return remove(cmd.Context(), a, st, loc, f)
			}))
		}),
	}
	cmd.Flags().BoolVarP(&f.recursive, "recursive", "r", false, "delete every object under the prefix")
	cmd.Flags().StringVar(&f.versionID, "version-id", "", "delete this version for good")
	return cmd
}

func remove(ctx context.Context, a *app, st objstore.Store, loc location, f rmFlags) error {
	if f.recursive {
		return transfer.DeletePrefix(ctx, st, loc.bucket, loc.dirPrefix(), transfer.Options{}, func(key string) {
			fmt.Fprintf(a.stdout, "delete: %s\n", location{bucket: loc.bucket, key: key})
		})
	}
	if _, err := st.DeleteObject(ctx, loc.bucket, loc.key, objstore.DeleteOptions{VersionID: f.versionID}); err != nil {
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "delete: %s\n", loc)
	return err
}
