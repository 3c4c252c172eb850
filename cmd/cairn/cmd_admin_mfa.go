package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/cairnfs/cairn/objstore/lock"
	"github.com/spf13/cobra"
)

// newAdminMFACmds are the MFA device commands of cairn admin.
func newAdminMFACmds(a *app) []*cobra.Command {
	mfa := &cobra.Command{
		Use:   "mfa",
		Short: "Manage the TOTP devices that MFA delete checks",
		Long: `A bucket whose versioning has MfaDelete Enabled removes a version, or
changes its versioning, only for a request carrying x-amz-mfa: "SERIAL CODE",
where SERIAL names a device registered here and CODE is its current TOTP
code (RFC 6238: SHA-1, 6 digits, 30 s). Devices are kept in
DATA/` + lock.DevicesFile + ` (mode 0600); a running server reads changes at once.`,
		Args: cobra.NoArgs,
	}
	mfa.AddCommand(newMFAAddCmd(a), newMFAListCmd(a), newMFARemoveCmd(a))
	return []*cobra.Command{mfa}
}

func newMFAAddCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "add USER",
		Short:   "Register a TOTP device for USER (replacing the one it had)",
		Example: `  cairn admin mfa add alice    # scan the otpauth URI into an authenticator app`,
		Args:    cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			dev, err := lock.OpenDevices(a.dataDir).Add(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "serial: %s\nsecret: %s\nuri: %s\n", dev.Serial, dev.Secret, dev.URI())
			return nil
		}),
	}
}

func newMFAListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the registered MFA devices",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			devs, err := lock.OpenDevices(a.dataDir).List()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USER\tSERIAL\tCREATED")
			for _, d := range devs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", d.User, d.Serial, d.Created.Format("2006-01-02 15:04:05"))
			}
			return tw.Flush()
		}),
	}
}

func newMFARemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove USER",
		Short: "Remove USER's MFA device",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			return lock.OpenDevices(a.dataDir).Remove(args[0])
		}),
	}
}
