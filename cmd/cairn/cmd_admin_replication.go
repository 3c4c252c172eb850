package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/replicate"
	"github.com/spf13/cobra"
)

// newAdminReplicationCmds are the replication commands of cairn admin.
func newAdminReplicationCmds(a *app) []*cobra.Command {
	rep := &cobra.Command{
		Use:   "replication",
		Short: "Manage the remote targets replication copies to",
		Args:  cobra.NoArgs,
	}
	target := &cobra.Command{
		Use:   "target",
		Short: "Add, list or remove remote replication targets",
		Long: `A remote target is an S3 endpoint, with credentials, that replication
rules may copy to. A rule names a bucket on it by the ARN
arn:cairn:s3:TARGET::bucket (arn:aws:s3:::bucket is a bucket of this store).
Targets are kept in DATA/replication/targets.json (mode 0600); a running
server reads changes at once.`,
		Args: cobra.NoArgs,
	}
	target.AddCommand(newTargetAddCmd(a), newTargetListCmd(a), newTargetRemoveCmd(a))
	rep.AddCommand(target)
	return []*cobra.Command{rep, newReplicateExistingCmd(a)}
}

func newTargetAddCmd(a *app) *cobra.Command {
	var rt replicate.RemoteTarget
	cmd := &cobra.Command{
		Use:     "add NAME --endpoint URL --access-key KEY --secret-key SECRET",
		Short:   "Register (or replace) a remote replication target",
		Example: `  cairn admin replication target add backup --endpoint https://s3.example.com --access-key AK --secret-key SK --region eu-west-1`,
		Args:    cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			if rt.Endpoint == "" || rt.AccessKey == "" || rt.SecretKey == "" {
				return usagef("--endpoint, --access-key and --secret-key are required")
			}
			if err := replicate.SetTarget(replicate.TargetsFile(a.dataDir), args[0], rt); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "target %s: %s (destination ARN arn:cairn:s3:%s::BUCKET)\n", args[0], rt.Endpoint, args[0])
			return nil
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&rt.Endpoint, "endpoint", "", "S3 endpoint URL of the target")
	fl.StringVar(&rt.AccessKey, "access-key", "", "access key to write there")
	fl.StringVar(&rt.SecretKey, "secret-key", "", "secret key of --access-key")
	fl.StringVar(&rt.Region, "region", "", "region to sign for (default us-east-1)")
	return cmd
}

func newTargetListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the remote replication targets",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			list, err := replicate.ReadTargets(replicate.TargetsFile(a.dataDir))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tENDPOINT\tREGION\tACCESS KEY")
			for _, n := range replicate.TargetNames(list) {
				t := list[n]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", n, t.Endpoint, t.Region, t.AccessKey)
			}
			return tw.Flush()
		}),
	}
}

func newTargetRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a remote replication target",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			return replicate.RemoveTarget(replicate.TargetsFile(a.dataDir), args[0])
		}),
	}
}

func newReplicateExistingCmd(a *app) *cobra.Command {
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "replicate-existing BUCKET",
		Short: "Replicate the versions a bucket held before its replication rules",
		Long: `Queue for replication every version of BUCKET that its replication rules
select and that was never replicated (no replication status) or whose
replication FAILED. New versions are replicated as they are written; this
is for the ones written before the rules, which S3 leaves alone too.

When a server (cairn serve or the daemon) holds the data directory, the
request is left in DATA/replication/requests/ and its worker takes it
within a second; otherwise the data directory is opened here, the
versions are queued, and they are copied when the store is next served.`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return a.replicateExisting(cmd.Context(), args[0], wait)
		}),
	}
	cmd.Flags().DurationVar(&wait, "wait", time.Minute, "how long to wait for a running server to take the request")
	return cmd
}

// replicateExisting queues a bucket's existing versions, in this process
// or through the one that holds the data directory.
func (a *app) replicateExisting(ctx context.Context, bucket string, wait time.Duration) error {
	if a.remote.endpoint != "" {
		return usagef("replicate-existing works on the embedded store of --data; it takes no --endpoint")
	}
	st, err := embedded.Open(ctx, embedded.Options{Dir: a.dataDir, Logger: a.logger})
	if errors.Is(err, disk.ErrLocked) {
		return a.requestExisting(ctx, bucket, wait)
	}
	if err != nil {
		return err
	}
	n, err := st.ReplicateExisting(ctx, bucket)
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close data directory %s: %w", a.dataDir, cerr)
	}
	if err != nil {
		return on(bucket, err)
	}
	fmt.Fprintf(a.stdout, "%d versions of %s queued for replication; they are copied while the store is served\n", n, bucket)
	return nil
}

// requestExisting leaves the request for the process holding the data
// directory and waits for its answer.
func (a *app) requestExisting(ctx context.Context, bucket string, wait time.Duration) error {
	id, err := replicate.RequestExisting(a.dataDir, bucket)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	ans, err := replicate.WaitAnswer(wctx, a.dataDir, id)
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(a.stdout, "request left for the server holding %s; it has not taken it yet\n", a.dataDir)
		return nil
	}
	if err != nil {
		return err
	}
	if ans.Error != "" {
		return on(bucket, fmt.Errorf("%s: %w", ans.Error, objstore.ErrInvalidRequest))
	}
	fmt.Fprintf(a.stdout, "%d versions of %s queued for replication\n", ans.Queued, bucket)
	return nil
}
