package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cairnfs/cairn/daemon"
	"github.com/cairnfs/cairn/packaging/service"
	"github.com/spf13/cobra"
)

// serviceFlags are the options every cairn service command shares.
type serviceFlags struct {
	name string
	user bool
}

func newServiceCmd(a *app) *cobra.Command {
	var f serviceFlags
	cmd := &cobra.Command{
		Use:   "service",
		Short: "Install and control cairn daemon as a system service",
		Long: `Install cairn daemon --config FILE as a service of this host's init system
and start, stop or check it: a systemd unit (a user unit with --user) on
Linux, a launchd job on macOS, a Windows service, and an init script in
/etc/init.d where systemd does not run.

A system service needs root; --user installs one for the current user
(systemd and launchd only). Installing does not start the service.`,
		Example: `  sudo cairn service install --config /etc/cairn/cairn.yaml
  sudo cairn service start
  cairn service status
  cairn service install --user --config ~/.config/cairn/cairn.yaml`,
		Args: cobra.NoArgs,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.name, "name", service.DefaultName, "name of the service (to run more than one daemon)")
	pf.BoolVar(&f.user, "user", false, "a service of the current user instead of a system one (systemd and launchd)")
	cmd.AddCommand(
		newServiceInstallCmd(a, &f),
		newServiceActionCmd(a, &f, "start", "Start the service", (*service.Service).Start),
		newServiceActionCmd(a, &f, "stop", "Stop the service, letting cairn daemon flush and unmount", (*service.Service).Stop),
		newServiceActionCmd(a, &f, "restart", "Stop the service if it runs, then start it", (*service.Service).Restart),
		newServiceStatusCmd(a, &f),
		newServiceActionCmd(a, &f, "uninstall", "Stop the service if it runs and remove it", (*service.Service).Uninstall),
	)
	return cmd
}

func newServiceInstallCmd(a *app, f *serviceFlags) *cobra.Command {
	var config string
	cmd := &cobra.Command{
		Use:   "install --config FILE",
		Short: "Install the service that runs cairn daemon --config FILE",
		Args:  cobra.NoArgs,
		RunE: runE(func(*cobra.Command, []string) error {
			exe, cfg, err := installPaths(config)
			if err != nil {
				return err
			}
			// Refuse a config the daemon would refuse, naming its line.
			if _, err := daemon.LoadConfig(cfg); err != nil {
				return err
			}
			s, err := service.New(service.Options{Name: f.name, User: f.user, Executable: exe, Config: cfg})
			if err != nil {
				return err
			}
			if err := s.Install(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "installed service %s (%s): %s daemon --config %s\nstart it with: cairn service start%s\n",
				s.Name(), s.Platform(), exe, cfg, f.commandFlags())
			return err
		}),
	}
	cmd.Flags().StringVar(&config, "config", "", "the daemon's YAML config file (required)")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

func newServiceActionCmd(a *app, f *serviceFlags, use, short string, action func(*service.Service) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: runE(func(*cobra.Command, []string) error {
			s, err := service.New(service.Options{Name: f.name, User: f.user})
			if err != nil {
				return err
			}
			if err := action(s); err != nil {
				return err
			}
			return a.printServiceState(s)
		}),
	}
}

func newServiceStatusCmd(a *app, f *serviceFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Print whether the service is running, stopped, failed or not installed",
		Args:  cobra.NoArgs,
		RunE: runE(func(*cobra.Command, []string) error {
			s, err := service.New(service.Options{Name: f.name, User: f.user})
			if err != nil {
				return err
			}
			return a.printServiceState(s)
		}),
	}
}

// printServiceState prints the service's state (running, stopped or not
// installed) alone on a line, for people and scripts alike.
func (a *app) printServiceState(s *service.Service) error {
	st, err := s.Status()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(a.stdout, st)
	return err
}

// commandFlags repeats the flags that name the service, for a hint.
func (f *serviceFlags) commandFlags() string {
	var out string
	if f.name != service.DefaultName {
		out += " --name " + f.name
	}
	if f.user {
		out += " --user"
	}
	return out
}

// installPaths resolves the running binary and the config to the absolute
// paths the service will run with.
func installPaths(config string) (exe, cfg string, err error) {
	if exe, err = os.Executable(); err != nil {
		return "", "", fmt.Errorf("find the cairn binary: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return "", "", fmt.Errorf("find the cairn binary: %w", err)
	}
	if cfg, err = filepath.Abs(config); err != nil {
		return "", "", fmt.Errorf("config %s: %w", config, err)
	}
	return exe, cfg, nil
}
