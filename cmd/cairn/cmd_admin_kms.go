package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/sse"
	"github.com/spf13/cobra"
)

// newAdminKMSCmds are the key service commands of cairn admin.
func newAdminKMSCmds(a *app) []*cobra.Command {
	kms := &cobra.Command{
		Use:   "kms",
		Short: "Manage the keys of SSE-KMS encryption",
		Long: `The embedded store has a key service of its own for SSE-KMS and DSSE-KMS
(x-amz-server-side-encryption: aws:kms or aws:kms:dsse). Requests name a key
by its ID or an alias (alias/NAME) in x-amz-server-side-encryption-aws-kms-key-id;
without one they use ` + sse.DefaultKMSAlias + `, created on first use.

Keys live in DATA/keys (mode 0600) sealed by the store's master key; a running
server sees changes at once. Every use of a key is appended to
DATA/keys/audit.log, one JSON object a line.`,
		Args: cobra.NoArgs,
	}
	kms.AddCommand(newKMSCreateCmd(a), newKMSListCmd(a), newKMSRotateCmd(a),
		newKMSEnableCmd(a, "disable", false), newKMSEnableCmd(a, "enable", true))
	return []*cobra.Command{kms}
}

// withKeys runs fn with the key service of the data directory.
func (a *app) withKeys(fn func(*sse.Service) error) error {
	if a.remote.endpoint != "" {
		return usagef("cairn admin kms manages the keys of the embedded store (--data); it takes no --endpoint")
	}
	ks, err := sse.Open(embedded.KeysDir(a.dataDir))
	if err != nil {
		return err
	}
	defer ks.Close()
	return fn(ks)
}

func newKMSCreateCmd(a *app) *cobra.Command {
	var alias, description string
	cmd := &cobra.Command{
		Use:   "create-key",
		Short: "Create a key and print its ID",
		Example: `  cairn admin kms create-key --alias alias/photos
  aws s3 cp a.jpg s3://photos/ --sse aws:kms --sse-kms-key-id alias/photos`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return a.withKeys(func(ks *sse.Service) error {
				k, err := ks.CreateKey(cmd.Context(), alias, description)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, k.ID)
				return nil
			})
		}),
	}
	cmd.Flags().StringVar(&alias, "alias", "", "alias of the key (alias/NAME)")
	cmd.Flags().StringVar(&description, "description", "", "what the key is for")
	return cmd
}

func newKMSListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list-keys",
		Short: "List the keys",
		Args:  cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			return a.withKeys(func(ks *sse.Service) error {
				keys, err := ks.ListKeys(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "KEY ID\tALIASES\tVERSION\tSTATE\tCREATED\tDESCRIPTION")
				for _, k := range keys {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", k.ID, strings.Join(k.Aliases, ","), k.Version,
						keyState(k.Enabled), k.Created.Local().Format(time.DateTime), k.Description)
				}
				return tw.Flush()
			})
		}),
	}
}

func keyState(enabled bool) string {
	if enabled {
		return "Enabled"
	}
	return "Disabled"
}

func newKMSRotateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rotate KEY",
		Short: "Give a key (ID or alias) a new version; what older versions sealed stays readable",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return a.changeKey(cmd.Context(), args[0], func(ks *sse.Service) (sse.KeyInfo, error) {
				return ks.RotateKey(cmd.Context(), args[0])
			})
		}),
	}
}

func newKMSEnableCmd(a *app, verb string, enabled bool) *cobra.Command {
	short := "Disable a key (ID or alias): what it sealed cannot be read until it is enabled again"
	if enabled {
		short = "Enable a disabled key (ID or alias)"
	}
	return &cobra.Command{
		Use:   verb + " KEY",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return a.changeKey(cmd.Context(), args[0], func(ks *sse.Service) (sse.KeyInfo, error) {
				return ks.SetKeyEnabled(cmd.Context(), args[0], enabled)
			})
		}),
	}
}

// changeKey runs a change of one key and reports the key's state after it.
func (a *app) changeKey(_ context.Context, ref string, fn func(*sse.Service) (sse.KeyInfo, error)) error {
	return a.withKeys(func(ks *sse.Service) error {
		k, err := fn(ks)
		if err != nil {
			return fmt.Errorf("key %s: %w", ref, err)
		}
		fmt.Fprintf(a.stdout, "%s\tversion %d\t%s\n", k.ID, k.Version, keyState(k.Enabled))
		return nil
	})
}
