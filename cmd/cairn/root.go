package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// run executes the command line args and returns the exit code: 0 on
// success, 1 when the command failed, 2 when the command line is wrong.
func run(ctx context.Context, args []string, a *app) int {
	a.args = args
	root := newRootCmd(a)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var oe *opError
	if errors.As(err, &oe) {
		fmt.Fprintf(a.stderr, "cairn: %s: %s\n", cmd.Name(), describe(oe.err))
		return 1
	}
	fmt.Fprintf(a.stderr, "cairn: %s\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
	return 2
}

// newRootCmd builds the cairn command and its subcommands.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "cairn",
		Short: "Object storage as folders",
		Long: `cairn turns object storage into folders.

It keeps an S3-style object store (buckets, keys, versions, multipart
uploads) in a local data directory, and works on it with commands shaped
like the aws CLI's "s3" ones. Objects are named by s3://bucket/key URLs.`,
		Example: `  cairn mb s3://photos
  cairn cp holiday.jpg s3://photos/2026/
  cairn ls s3://photos --recursive --human-readable
  cairn cp s3://photos/2026/holiday.jpg .`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usagef("%s", err) })
	root.PersistentFlags().StringVar(&a.dataDir, "data", defaultDataDir(a.getenv, os.Getuid()),
		"data directory of the embedded store ($CAIRN_DATA overrides the default)")
	pf := root.PersistentFlags()
	a.globalGiven = pf.Changed
	pf.StringVar(&a.remote.endpoint, "endpoint", a.getenv("CAIRN_ENDPOINT"),
		"work on this S3 endpoint (e.g. http://127.0.0.1:9000, https://s3.amazonaws.com) instead of the embedded store ($CAIRN_ENDPOINT)")
	pf.StringVar(&a.remote.region, "region", "", "region of --endpoint (default: the AWS configuration's, else us-east-1)")
	pf.StringVar(&a.remote.profile, "profile", "", "~/.aws profile for --endpoint's credentials and region")
	pf.StringVar(&a.remote.caBundle, "ca-bundle", "", "PEM file of certificate authorities to trust for --endpoint")
	root.AddCommand(
		newVersionCmd(a),
		newMbCmd(a),
		newRbCmd(a),
		newLsCmd(a),
		newCpCmd(a),
		newRmCmd(a),
		newStatCmd(a),
		newServeCmd(a),
		newPresignCmd(a),
		newMountCmd(a),
		newUnmountCmd(a),
		newVersionsCmd(a), newRestoreCmd(a),
		newSyncCmd(a, newSyncControlCmd(a, "pause"), newSyncControlCmd(a, "resume")),
		newDaemonCmd(a), newStatusCmd(a),
		newServiceCmd(a),
		newGenCmd(),
		newAdminCmd(a),
	)
	return root
}
