package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"

	"github.com/cairnfs/cairn/daemon"
	"github.com/spf13/cobra"
)

// daemonFlags are the options of cairn daemon.
type daemonFlags struct {
	config, logFormat, metrics string
}

func newDaemonCmd(a *app) *cobra.Command {
	var f daemonFlags
	cmd := &cobra.Command{
		Use:   "daemon --config FILE",
		Short: "Run the servers, mounts and syncs of a config file",
		Long: `Run in one process every S3 server, mount and sync that the YAML config
file lists, until SIGINT or SIGTERM. A unit that fails is restarted, with
backoff. SIGHUP reads the file again: added units start, removed ones
stop, changed ones restart, the others keep running.

A control socket answers cairn status, cairn sync pause|resume NAME and
cairn unmount. On SIGINT or SIGTERM the daemon stops taking new work,
stores what is written in its mounts and unmounts them, lets sync passes in
flight finish (for at most 30s) and closes the stores; a second signal
exits at once (the mounts' journals keep what was written).

A config with a mistake is refused with FILE:LINE: and the reason.`,
		Example: `  cairn daemon --config /etc/cairn/cairn.yaml
  cairn daemon --config cairn.yaml --log-format json --metrics 127.0.0.1:9100`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error { return a.daemon(cmd.Context(), f) }),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "YAML config file (required)")
	fl.StringVar(&f.logFormat, "log-format", "", "text or json (default: the config's log_format, else text)")
	fl.StringVar(&f.metrics, "metrics", "", "serve Prometheus metrics on ADDR/metrics (overrides the config's metrics)")
	return cmd
}

// daemon runs cairn daemon.
func (a *app) daemon(ctx context.Context, f daemonFlags) error {
	if f.config == "" {
		return usagef("--config FILE is required")
	}
	if f.logFormat != "" && f.logFormat != "text" && f.logFormat != "json" {
		return usagef("--log-format %q: want text or json", f.logFormat)
	}
	cfg, err := daemon.LoadConfig(f.config)
	var ce *daemon.ConfigError
	if errors.As(err, &ce) {
		return usagef("%s", ce)
	}
	if err != nil {
		return err
	}
	if f.logFormat == "" {
		f.logFormat = cfg.LogFormat
	}
	d, err := daemon.New(cfg, daemon.Options{
		Data: a.dataDir, Metrics: f.metrics, Getenv: a.getenv, Logger: daemonLogger(a.stderr, f.logFormat),
	})
	if err != nil {
		return err
	}
	return d.RunWithSignals(ctx, os.Exit)
}

// daemonLogger logs at info level, as text or as JSON lines.
func daemonLogger(w io.Writer, format string) *slog.Logger {
	o := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}
