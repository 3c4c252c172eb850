package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// config is what the flags ask for.
type config struct {
	dir      string
	suites   []string
	duration time.Duration
	rounds   int
	cases    *regexp.Regexp
	// sizes and workers are nil unless given: each suite then uses its own.
	sizes           []int64
	workers         []int
	keys            int
	populateWorkers int
	cpuProfile      string
	signedPayload   bool
	// bucketPolicy gives the server suite's bucket a policy every request
	// evaluates.
	bucketPolicy bool
	// mount suite: the size of its large files and the entries of its
	// directory workloads; -short makes both smaller unless given.
	fileSize int64
	entries  int
	short    bool
}

// listKeysPerDir is how many keys each "directory" of the LIST bucket holds.
const listKeysPerDir = 500

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&cfg.dir, "dir", "", "working directory (default .bench at the repository root)")
	suites := fs.String("suite", "all", `comma-separated suites, or "all"`)
	fs.DurationVar(&cfg.duration, "duration", 5*time.Second, "measured time of each side of each case")
	fs.IntVar(&cfg.rounds, "rounds", 3, "alternating slices per side")
	cases := fs.String("cases", "", "regexp: run only the cases whose name matches")
	sizes := fs.String("sizes", "", "object sizes of PUT and GET (default: each suite's own)")
	workers := fs.String("workers", "", "concurrent workers of PUT and GET (default: each suite's own)")
	fs.IntVar(&cfg.keys, "keys", 1_000_000, "keys in the LIST bucket (a multiple of 500)")
	fs.IntVar(&cfg.populateWorkers, "populate-workers", 64, "concurrent writers filling the LIST bucket")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.BoolVar(&cfg.signedPayload, "signed-payload", false, "server suite: sign PUT bodies (SHA-256) instead of UNSIGNED-PAYLOAD")
	fs.BoolVar(&cfg.bucketPolicy, "bucket-policy", false, "server suite: give the bench bucket a bucket policy (with conditions) that every request evaluates")
	fileSize := fs.String("file-size", "", "mount suite: size of the large file read and written (default 1GiB, -short 256MiB)")
	fs.IntVar(&cfg.entries, "entries", 0, "mount suite: entries of the ls -l and find directories (default 10000, -short 1000)")
	fs.BoolVar(&cfg.short, "short", false, "mount and sync suites: a smaller run (256MiB files, 1000 entries or files)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	cfg.suites = strings.Split(*suites, ",")
	if cfg.cases, err = regexp.Compile(*cases); err != nil {
		return cfg, fmt.Errorf("-cases: %w", err)
	}
	if cfg.sizes, err = parseList(*sizes, parseSize); err != nil {
		return cfg, fmt.Errorf("-sizes: %w", err)
	}
	if cfg.workers, err = parseList(*workers, strconv.Atoi); err != nil {
		return cfg, fmt.Errorf("-workers: %w", err)
	}
	if cfg.dir == "" {
		cfg.dir = filepath.Join(repoRoot(), ".bench")
	}
	if err := cfg.mountDefaults(*fileSize); err != nil {
		return cfg, err
	}
	return cfg, cfg.check()
}

func (cfg config) check() error {
	switch {
	case cfg.duration <= 0 || cfg.rounds < 1:
		return errors.New("-duration and -rounds must be positive")
	case cfg.keys < 2*listKeysPerDir || cfg.keys%listKeysPerDir != 0:
		return fmt.Errorf("-keys %d: want a multiple of %d, at least %d", cfg.keys, listKeysPerDir, 2*listKeysPerDir)
	case cfg.populateWorkers < 1:
		return errors.New("-populate-workers must be positive")
	case cfg.fileSize < 1<<20 || cfg.fileSize%(1<<20) != 0:
		return fmt.Errorf("-file-size %d: want a whole number of MiB", cfg.fileSize)
	case cfg.entries < mountDirs || cfg.entries%mountDirs != 0:
		return fmt.Errorf("-entries %d: want a multiple of %d", cfg.entries, mountDirs)
	}
	for _, w := range cfg.workers {
		if w < 1 {
			return fmt.Errorf("-workers: %d is not a positive count", w)
		}
	}
	for _, s := range cfg.sizes {
		if s < 1 {
			return fmt.Errorf("-sizes: %d is not a positive size", s)
		}
	}
	return nil
}

// mountDefaults sets the mount suite's file size and entries that the
// flags left out: the full or the -short ones.
func (cfg *config) mountDefaults(fileSize string) error {
	size, entries := int64(1<<30), 10_000
	if cfg.short {
		size, entries = 256<<20, 1_000
	}
	if fileSize != "" {
		var err error
		if size, err = parseSize(fileSize); err != nil {
			return fmt.Errorf("-file-size: %w", err)
		}
	}
	cfg.fileSize = size
	if cfg.entries == 0 {
		cfg.entries = entries
	}
	return nil
}

// parseList reads a comma-separated list; an empty one is nil.
func parseList[T any](s string, parse func(string) (T, error)) ([]T, error) {
	if s == "" {
		return nil, nil
	}
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, err := parse(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// parseSize reads "4096", "4KiB", "16MiB" or "1GiB".
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = n, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	return n * mult, nil
}

// repoRoot finds the module root above the working directory, or returns
// the working directory.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

// prepareDir creates the working directory with a .gitignore that keeps
// everything in it out of git.
func prepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create bench dir: %w", err)
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Stat(ignore); err == nil {
		return nil
	}
	if err := os.WriteFile(ignore, []byte("# benchmark data, never committed\n*\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", ignore, err)
	}
	return nil
}

// printHeader prints the exact command and where it ran.
func printHeader(w io.Writer, cfg config, args []string) {
	fmt.Fprintf(w, "command:  %s\n", commandLine(args))
	fmt.Fprintf(w, "machine:  %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(w, "dir:      %s\n", cfg.dir)
	fmt.Fprintf(w, "timing:   %v per side per case in %d alternating slices\n", cfg.duration, cfg.rounds)
	fmt.Fprintf(w, "started:  %s\n", time.Now().Format(time.RFC3339))
}

// commandLine renders the invocation so that it can be pasted back.
func commandLine(args []string) string {
	parts := []string{"go", "run", "./test/bench"}
	for _, a := range args {
		if strings.ContainsAny(a, " \t'\"|*?$\\&;<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// startCPUProfile writes a CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: close CPU profile:", err)
		}
	}, nil
}
