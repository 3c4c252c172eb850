package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newGenCmd is the hidden command that writes the man pages and shell
// completions the packages install, from the command tree itself.
func newGenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:    "gen",
		Short:  "Write cairn's man pages or shell completions into a directory",
		Hidden: true,
		Args:   cobra.NoArgs,
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "man DIR",
			Short: "Write a man page (section 1) for every command into DIR",
			Args:  cobra.ExactArgs(1),
			RunE: runE(func(c *cobra.Command, args []string) error {
				return genMan(c.Root(), args[0])
			}),
		},
		&cobra.Command{
			Use:   "completions DIR",
			Short: "Write bash (cairn), zsh (_cairn) and fish (cairn.fish) completions into DIR",
			Args:  cobra.ExactArgs(1),
			RunE: runE(func(c *cobra.Command, args []string) error {
				return genCompletions(c.Root(), args[0])
			}),
		},
	)
	return cmd
}

// genMan writes cairn.1, cairn-cp.1, ... into dir. The date is
// $SOURCE_DATE_EPOCH's when set, so that a package build is reproducible.
func genMan(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	date, err := sourceDate()
	if err != nil {
		return err
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{
		Title:   "CAIRN",
		Section: "1",
		Source:  "cairn " + buildVersion(),
		Manual:  "cairn manual",
		Date:    &date,
	}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("man pages in %s: %w", dir, err)
	}
	return nil
}

// sourceDate is the time of $SOURCE_DATE_EPOCH, else now.
func sourceDate() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now().UTC(), nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", s, err)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// genCompletions writes the completion scripts, named as each shell looks
// them up: bash-completion's completions/cairn, zsh's _cairn and fish's
// cairn.fish.
func genCompletions(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("completions: %w", err)
	}
	gens := []struct {
		file string
		gen  func(string) error
	}{
		{"cairn", func(p string) error { return root.GenBashCompletionFileV2(p, true) }},
		{"_cairn", root.GenZshCompletionFile},
		{"cairn.fish", func(p string) error { return root.GenFishCompletionFile(p, true) }},
	}
	for _, g := range gens {
		p := filepath.Join(dir, g.file)
		if err := g.gen(p); err != nil {
			return fmt.Errorf("completion %s: %w", p, err)
		}
	}
	return nil
}
