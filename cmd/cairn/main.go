// Command cairn turns object storage into folders: it serves an embedded
// S3-compatible object store kept in a local data directory, mounts a
// bucket (of that store or of any S3 endpoint) as a directory, keeps a
// folder and a bucket prefix in sync or backed up, and runs all of it as
// a system service. Its object commands (mb, rb, ls, cp, rm, stat) are
// shaped like the aws CLI's "s3" ones.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// version is the release this binary was built from, set at build time
// with -ldflags "-X main.version=...".
var version string

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	args := os.Args[1:]
	if isMountHelper(os.Args[0]) {
		var err error
		if args, err = mountHelperArgs(args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	stopProfile, err := startProfile(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := run(ctx, args, &app{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		logger:    slog.Default(),
		getenv:    os.Getenv,
	})
	stop()
	stopProfile()
	os.Exit(code)
}
