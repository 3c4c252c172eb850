package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cairnfs/cairn/daemon"
	"github.com/spf13/cobra"
)

// socketFlag is the --socket option of the commands that talk to a daemon.
func (a *app) socketFlag(cmd *cobra.Command, socket *string) {
	cmd.Flags().StringVar(socket, "socket", "", "control socket of the daemon (default: $CAIRN_SOCKET, /run/cairn/cairn.sock for root, $XDG_RUNTIME_DIR/cairn.sock)")
}

// daemonClient is the client of the daemon on socket, or on the default one.
func (a *app) daemonClient(socket string) *daemon.Client {
	if socket == "" {
		socket = daemon.DefaultSocket(a.getenv, os.Getuid())
	}
	return daemon.NewClient(socket)
}

func newStatusCmd(a *app) *cobra.Command {
	var (
		asJSON bool
		socket string
	)
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the servers, mounts and syncs of the running daemon",
		Long: `Show each unit of the running cairn daemon: its kind, name and state,
what it serves, the files a mount has not stored yet, the bytes a sync
moved, when a sync last finished a pass, and the last error. Exits with 1
when no daemon answers.`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			st, err := a.daemonClient(socket).Status(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			printStatus(a, st)
			return nil
		}),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	a.socketFlag(cmd, &socket)
	return cmd
}

// printStatus prints the units as a table.
func printStatus(a *app, st *daemon.Status) {
	fmt.Fprintf(a.stdout, "daemon pid %d, config %s, data %s\n", st.PID, st.Config, st.Data)
	if len(st.Units) == 0 {
		fmt.Fprintln(a.stdout, "no units")
		return
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tNAME\tSTATE\tWHERE\tPENDING\tMOVED\tLAST SYNC\tLAST ERROR")
	for _, u := range st.Units {
		pending, moved, last := "-", "-", "-"
		if u.PendingUploads != nil {
			pending = strconv.Itoa(*u.PendingUploads)
		}
		if u.Kind == daemon.KindSync {
			moved = formatSize(u.BytesMoved, true)
		}
		if u.LastSync != nil {
			last = time.Since(*u.LastSync).Round(time.Second).String() + " ago"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Kind, u.Name, u.State, u.Where, pending, moved, last, oneLine(u.LastError, 60))
	}
	tw.Flush()
}

// oneLine shortens s to one line of at most n runes ("-" when empty).
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// newSyncControlCmd is cairn sync pause|resume NAME.
func newSyncControlCmd(a *app, verb string) *cobra.Command {
	var socket string
	short := map[string]string{"pause": "Pause a sync of the running daemon", "resume": "Resume a paused sync of the running daemon"}[verb]
	cmd := &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Long: short + `, named as in its config file.
Pausing lets the pass in flight finish; a paused sync stays paused until
resumed, a reload that changes it, or a restart of the daemon.`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			c := a.daemonClient(socket)
			call := c.Pause
			if verb == "resume" {
				call = c.Resume
			}
			if err := call(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%sd sync %s\n", verb, args[0])
			return nil
		}),
	}
	a.socketFlag(cmd, &socket)
	return cmd
}

// unmountViaDaemon asks the running daemon to unmount dir when dir is one
// of its mounts; handled is false when no daemon runs or it has no mount
// there.
func (a *app) unmountViaDaemon(ctx context.Context, dir string) (handled bool, err error) {
	_, err = a.daemonClient("").Unmount(ctx, dir)
	if errors.Is(err, daemon.ErrNoDaemon) || errors.Is(err, daemon.ErrNotFound) {
		return false, nil
	}
	return true, err
}
