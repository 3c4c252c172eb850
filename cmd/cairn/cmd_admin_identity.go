package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/spf13/cobra"
)

// newAdminIdentityCmds are the user, key and policy commands of cairn
// admin, and the server-wide public access block.
func newAdminIdentityCmds(a *app) []*cobra.Command {
	user := &cobra.Command{
		Use:   "user",
		Short: "Add, list or remove the users that may sign requests",
		Long: `Users sign requests with access keys of their own ("cairn admin key
create") and may do what their identity policies ("cairn admin policy
attach") and the bucket policies allow. A user belongs to the root
credential's account (` + iam.DefaultRootAccount + `) unless --account names another,
which makes it a cross-account principal that needs a bucket policy.

Users live in DATA/iam.json (mode 0600); a running server sees changes at
its next request.`,
		Args: cobra.NoArgs,
	}
	user.AddCommand(newUserAddCmd(a), newUserListCmd(a), newUserRemoveCmd(a))
	key := &cobra.Command{Use: "key", Short: "Create, list or delete the access keys of users", Args: cobra.NoArgs}
	key.AddCommand(newKeyCreateCmd(a), newKeyListCmd(a), newKeyDeleteCmd(a))
	pol := &cobra.Command{
		Use:   "policy",
		Short: "Attach, detach, list or show the identity policies of users",
		Long: `An identity policy is an IAM policy document without Principal: what
its user may do. Built in: ` + strings.Join(iam.BuiltinPolicies(), ", ") + `.`,
		Args: cobra.NoArgs,
	}
	pol.AddCommand(newPolicyAttachCmd(a), newPolicyDetachCmd(a), newPolicyListCmd(a), newPolicyShowCmd(a))
	return []*cobra.Command{user, key, pol, newPublicAccessBlockCmd(a)}
}

// updateIAM changes the data directory's identity file.
func (a *app) updateIAM(ctx context.Context, fn func(*iam.State) error) error {
	if err := os.MkdirAll(a.dataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	return iam.Open(a.dataDir, a.logger).Update(ctx, fn)
}

// readIAM reads the data directory's identity file.
func (a *app) readIAM() (*iam.State, error) { return iam.Open(a.dataDir, a.logger).Read() }

func newUserAddCmd(a *app) *cobra.Command {
	var account string
	var role, withKey bool
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a user",
		Example: `  cairn admin user add alice --key
  cairn admin user add DataPipelineRole --account 987654321098 --role --key`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			var u iam.User
			var k iam.AccessKey
			err := a.updateIAM(cmd.Context(), func(st *iam.State) error {
				var err error
				if u, err = st.AddUser(args[0], account, role, time.Now()); err != nil || !withKey {
					return err
				}
				k, err = st.CreateKey(u.Name, time.Now())
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Added %s (account %s, id %s)\n", u.ARN(), u.Account, u.ID)
			if withKey {
				a.printKey(k)
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&account, "account", "", "12-digit account ID of the user (default: the root credential's)")
	cmd.Flags().BoolVar(&role, "role", false, "make it a role (arn:aws:iam::ACCOUNT:role/NAME) rather than a user")
	cmd.Flags().BoolVar(&withKey, "key", false, "also create an access key and print it")
	return cmd
}

// printKey shows a new access key with its secret, which is never shown
// again.
func (a *app) printKey(k iam.AccessKey) {
	fmt.Fprintf(a.stdout, "Created an access key for %s (the secret is shown only now):\n  access key: %s\n  secret key: %s\n",
		k.User, k.AccessKey, k.SecretKey)
}

func newUserListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the users",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			st, err := a.readIAM()
			if err != nil {
				return err
			}
			keys := map[string]int{}
			for _, k := range st.Keys {
				keys[k.User]++
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tARN\tKEYS\tPOLICIES")
			for _, u := range st.Users {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", u.Name, u.ARN(), keys[u.Name], dashIfEmpty(strings.Join(u.Policies, ",")))
			}
			return tw.Flush()
		}),
	}
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newUserRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a user and its access keys",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := a.updateIAM(cmd.Context(), func(st *iam.State) error { return st.RemoveUser(args[0]) }); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Removed user %s and its access keys\n", args[0])
			return nil
		}),
	}
}

func newKeyCreateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "create USER",
		Short: "Create an access key for a user; its secret is shown once",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			var k iam.AccessKey
			err := a.updateIAM(cmd.Context(), func(st *iam.State) error {
				var err error
				k, err = st.CreateKey(args[0], time.Now())
				return err
			})
			if err != nil {
				return err
			}
			a.printKey(k)
			return nil
		}),
	}
}

func newKeyListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list [USER]",
		Short: "List access keys (without their secrets)",
		Args:  cobra.MaximumNArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			st, err := a.readIAM()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ACCESS KEY\tUSER\tCREATED")
			for _, k := range st.Keys {
				if len(args) == 0 || k.User == args[0] {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", k.AccessKey, k.User, k.Created.Format(time.RFC3339))
				}
			}
			return tw.Flush()
		}),
	}
}

func newKeyDeleteCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ACCESS_KEY",
		Short: "Delete an access key",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := a.updateIAM(cmd.Context(), func(st *iam.State) error { return st.DeleteKey(args[0]) }); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Deleted access key %s\n", args[0])
			return nil
		}),
	}
}

func newPolicyAttachCmd(a *app) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "attach USER FILE|NAME",
		Short: "Attach an identity policy, from a JSON file or by name, to a user",
		Long: `Attach an identity policy to a user. Given a file, the policy is stored
under --name (default: the file's name without .json), replacing one of
that name, so that editing the file and attaching it again updates every
user it is attached to.`,
		Example: `  cairn admin policy attach alice AmazonS3ReadOnlyAccess
  cairn admin policy attach bob ./uploads-only.json`,
		Args: cobra.ExactArgs(2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			user, src := args[0], args[1]
			doc, err := os.ReadFile(src)
			if err != nil && !os.IsNotExist(err) {
				return err
			}
			if doc != nil && name == "" {
				name = strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
			}
			if doc == nil {
				name = src
			}
			err = a.updateIAM(cmd.Context(), func(st *iam.State) error {
				if doc != nil {
					if err := st.PutPolicy(name, doc); err != nil {
						return err
					}
				}
				return st.AttachPolicy(user, name)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Attached policy %s to %s\n", name, user)
			return nil
		}),
	}
	cmd.Flags().StringVar(&name, "name", "", "name to store a policy file under")
	return cmd
}

func newPolicyDetachCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "detach USER NAME",
		Short: "Detach an identity policy from a user",
		Args:  cobra.ExactArgs(2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := a.updateIAM(cmd.Context(), func(st *iam.State) error { return st.DetachPolicy(args[0], args[1]) }); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Detached policy %s from %s\n", args[1], args[0])
			return nil
		}),
	}
}

func newPolicyListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the identity policies and the users they are attached to",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			st, err := a.readIAM()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "POLICY\tATTACHED TO")
			for _, p := range st.PolicyNames() {
				var users []string
				for _, u := range st.Users {
					for _, name := range u.Policies {
						if name == p {
							users = append(users, u.Name)
						}
					}
				}
				fmt.Fprintf(tw, "%s\t%s\n", p, dashIfEmpty(strings.Join(users, ",")))
			}
			return tw.Flush()
		}),
	}
}

func newPolicyShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print an identity policy document",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			st, err := a.readIAM()
			if err != nil {
				return err
			}
			doc, err := st.PolicyDocument(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s\n", doc)
			return nil
		}),
	}
}
