package main

import (
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
	"github.com/spf13/cobra"
)

// bucketArg reads an argument that must be an s3:// URL naming only a bucket.
func bucketArg(arg string) (location, error) {
	loc, err := parseURL(arg)
	if err == nil && loc.key != "" {
		return loc, usagef("%s: expected a bucket URL (s3://bucket), not an object", arg)
	}
	return loc, err
}

func newMbCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "mb s3://BUCKET",
		Short:   "Make a bucket",
		Long:    "Make a bucket. Names are 3 to 63 lower-case letters, digits, dots and hyphens, as in S3.",
		Example: "  cairn mb s3://photos",
		Args:    cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			loc, err := bucketArg(args[0])
			if err != nil {
				return err
			}
			if err := objstore.ValidateBucketName(loc.bucket); err != nil {
				return on(loc.String(), &verbatimError{err})
			}
			err = a.withStore(cmd.Context(), func(st objstore.Store) error {
				return st.CreateBucket(cmd.Context(), loc.bucket, objstore.CreateBucketOptions{})
			})
			if err != nil {
				return on(loc.String(), err)
			}
			_, err = fmt.Fprintf(a.stdout, "make_bucket: %s\n", loc.bucket)
			return err
		}),
	}
}

func newRbCmd(a *app) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "rb s3://BUCKET",
		Short: "Remove a bucket",
		Long: `Remove a bucket. It must be empty unless --force is given, which first
deletes every object version, delete marker and unfinished multipart upload in it.`,
		Example: "  cairn rb s3://photos\n  cairn rb s3://scratch --force",
		Args:    cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			loc, err := bucketArg(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			err = a.withStore(ctx, func(st objstore.Store) error {
				if force {
					if err := transfer.EmptyBucket(ctx, st, loc.bucket, transfer.Options{}); err != nil {
						return err
					}
				}
				return st.DeleteBucket(ctx, loc.bucket)
			})
			if err != nil {
				return on(loc.String(), err)
			}
			_, err = fmt.Fprintf(a.stdout, "remove_bucket: %s\n", loc.bucket)
			return err
		}),
	}
	cmd.Flags().BoolVar(&force, "force", false, "delete everything in the bucket first")
	return cmd
}
