package main

import "github.com/spf13/cobra"

// newAdminCmd is the parent of the commands that administer the embedded
// store; each feature adds its own subcommands from its own file.
func newAdminCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Administer the embedded store",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newAdminReplicationCmds(a)...)
	cmd.AddCommand(newAdminMFACmds(a)...)
	cmd.AddCommand(newAdminWebhookCmds(a)...)
	cmd.AddCommand(newAdminIdentityCmds(a)...)
	cmd.AddCommand(newAdminKMSCmds(a)...)
	return cmd
}
