package main

import (
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/cairnfs/cairn/objstore/events"
	"github.com/spf13/cobra"
)

// newAdminWebhookCmds are the webhook commands of cairn admin.
func newAdminWebhookCmds(a *app) []*cobra.Command {
	wh := &cobra.Command{
		Use:   "webhook",
		Short: "Manage the webhooks that bucket notifications deliver to",
		Long: `A bucket notification configuration (put-bucket-notification-configuration)
names its targets by ARN. On cairn every target is a webhook registered here:
the Topic, Queue or Lambda function ARN ` + events.WebhookARNPrefix + `NAME sends the
configuration's events to the webhook called NAME, as S3 event records
({"Records":[...]}) POSTed to its URL, retried until it answers 2xx.

With --secret, every POST carries ` + events.SignatureHeader + `: sha256=HEX, the
HMAC-SHA256 of the body under the secret. Webhooks are kept in
DATA/` + events.WebhooksFile + ` (mode 0600); a running server reads changes at once.`,
		Args: cobra.NoArgs,
	}
	wh.AddCommand(newWebhookAddCmd(a), newWebhookListCmd(a), newWebhookRemoveCmd(a))
	return []*cobra.Command{wh}
}

func newWebhookAddCmd(a *app) *cobra.Command {
	var secret string
	cmd := &cobra.Command{
		Use:   "add NAME URL",
		Short: "Register (or replace) the webhook NAME and print its ARN",
		Example: `  cairn admin webhook add thumbnails http://127.0.0.1:8080/s3-events --secret s3cr3t
  aws s3api put-bucket-notification-configuration --bucket photos --notification-configuration \
    '{"QueueConfigurations":[{"QueueArn":"` + events.WebhookARNPrefix + `thumbnails","Events":["s3:ObjectCreated:*"]}]}'`,
		Args: cobra.ExactArgs(2),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			err := events.OpenWebhooks(a.dataDir).Add(args[0], events.Webhook{URL: args[1], Secret: secret})
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, events.WebhookARN(args[0]))
			return nil
		}),
	}
	cmd.Flags().StringVar(&secret, "secret", "", "sign every POST with HMAC-SHA256 under this secret")
	return cmd
}

func newWebhookListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the registered webhooks",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			hooks, err := events.OpenWebhooks(a.dataDir).List()
			if err != nil {
				return err
			}
			names := make([]string, 0, len(hooks))
			for n := range hooks {
				names = append(names, n)
			}
			sort.Strings(names)
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ARN\tURL\tSIGNED")
			for _, n := range names {
				fmt.Fprintf(tw, "%s\t%s\t%v\n", events.WebhookARN(n), hooks[n].URL, hooks[n].Secret != "")
			}
			return tw.Flush()
		}),
	}
}

func newWebhookRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove the webhook NAME (its undelivered records are dropped)",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			found, err := events.OpenWebhooks(a.dataDir).Remove(args[0])
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("no webhook %q is registered", args[0])
			}
			return nil
		}),
	}
}
