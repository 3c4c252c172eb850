package main

import (
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/cairnfs/cairn/objstore/lock"
	"github.com/cairnfs/cairn/objstore/s3api"
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
code (RFC 6238: SHA-1, 6 digits, 30 s). The device must be the requester's:
USER is "root" for the root credential, else a user of cairn admin user.
Devices are kept in
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
			if err := a.checkMFAUser(args[0]); err != nil {
				return err
			}
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

// checkMFAUser refuses a device for a user the data directory does not
// have: "root" or one of its users.
func (a *app) checkMFAUser(user string) error {
	if user == s3api.RootMFAUser {
		return nil
	}
	st, err := iam.Open(a.dataDir, a.logger).Read()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(st.Users, func(u iam.User) bool { return u.Name == user }) {
		return usagef("no user %q: add it with cairn admin user add, or name %q for the root credential", user, s3api.RootMFAUser)
	}
	return nil
}
