package main

import (
	"fmt"

	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/spf13/cobra"
)

// newPublicAccessBlockCmd manages the server-wide public access block.
func newPublicAccessBlockCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "public-access-block",
		Short: "Show or set the public access block of every bucket",
		Long: `The server-wide public access block holds for every bucket, in addition
to the bucket's own (aws s3api put-public-access-block):
  BlockPublicAcls        refuse requests that set a public ACL
  IgnorePublicAcls       ignore public ACLs (ACLs are disabled anyway)
  BlockPublicPolicy      refuse bucket policies that grant public access
  RestrictPublicBuckets  serve a bucket with a public policy only to its
                         owner's account: no anonymous or cross-account access`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newPABGetCmd(a), newPABSetCmd(a), newPABDeleteCmd(a))
	return cmd
}

func newPABGetCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "get",
		Short: "Show the server-wide public access block",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			st, err := a.readIAM()
			if err != nil {
				return err
			}
			var b iam.PublicAccessBlock
			if st.PublicAccessBlock != nil {
				b = *st.PublicAccessBlock
			}
			fmt.Fprintf(a.stdout, "BlockPublicAcls: %t\nIgnorePublicAcls: %t\nBlockPublicPolicy: %t\nRestrictPublicBuckets: %t\n",
				b.BlockPublicAcls, b.IgnorePublicAcls, b.BlockPublicPolicy, b.RestrictPublicBuckets)
			return nil
		}),
	}
}

func newPABSetCmd(a *app) *cobra.Command {
	var b iam.PublicAccessBlock
	var all bool
	cmd := &cobra.Command{
		Use:     "set [--all | --block-public-acls --ignore-public-acls --block-public-policy --restrict-public-buckets]",
		Short:   "Set the server-wide public access block (switches not given are off)",
		Example: `  cairn admin public-access-block set --all`,
		Args:    cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if all {
				b = iam.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
			}
			err := a.updateIAM(cmd.Context(), func(st *iam.State) error {
				st.PublicAccessBlock = &b
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Server-wide public access block: BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t\n",
				b.BlockPublicAcls, b.IgnorePublicAcls, b.BlockPublicPolicy, b.RestrictPublicBuckets)
			return nil
		}),
	}
	fl := cmd.Flags()
	fl.BoolVar(&all, "all", false, "turn all four switches on")
	fl.BoolVar(&b.BlockPublicAcls, "block-public-acls", false, "refuse requests that set a public ACL")
	fl.BoolVar(&b.IgnorePublicAcls, "ignore-public-acls", false, "ignore public ACLs")
	fl.BoolVar(&b.BlockPublicPolicy, "block-public-policy", false, "refuse bucket policies that grant public access")
	fl.BoolVar(&b.RestrictPublicBuckets, "restrict-public-buckets", false, "serve buckets with a public policy only to their owner's account")
	return cmd
}

func newPABDeleteCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "delete",
		Short: "Remove the server-wide public access block",
		Args:  cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			err := a.updateIAM(cmd.Context(), func(st *iam.State) error {
				st.PublicAccessBlock = nil
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "Removed the server-wide public access block")
			return nil
		}),
	}
}
