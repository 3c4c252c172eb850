// Command cairn turns object storage into folders. This first cut serves
// an embedded S3-style object store kept in a local data directory, and
// works on it with commands shaped like the aws CLI's "s3" ones: mb, rb,
// ls, cp, rm and stat.
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
	code := run(ctx, args, &app{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		logger:    slog.Default(),
		getenv:    os.Getenv,
	})
	stop()
	os.Exit(code)
}
