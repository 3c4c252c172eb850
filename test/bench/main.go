// Command bench measures cairn against the physical ceiling of the same
// machine, side by side in one run, and prints a table of ratios.
//
// Run it from the repository root:
//
//	go run ./test/bench [flags]
//	make bench BENCHFLAGS="[flags]"
//
// Flags:
//
//	-dir DIR               working directory for stores and raw files (default
//	                       .bench at the repository root; it keeps a .gitignore
//	                       of its own). The populated LIST bucket and its bare
//	                       pebble twin stay there and are reused by later runs.
//	-suite NAMES           comma-separated suites to run, or "all" (default
//	                       all: engine, server, mount, then sync). -suite help
//	                       lists them.
//	-duration D            measured time of each side of each case (default 5s),
//	                       split over -rounds slices.
//	-rounds N              slices per side; cairn and its ceiling alternate
//	                       slice by slice, the first side switching each time,
//	                       so that drift in the machine hits both (default 3).
//	                       sync suite: runs of each initial sync, the first
//	                       contender rotating; the median is reported.
//	-cases REGEXP          run only cases whose name matches (e.g. 'PUT|GET';
//	                       a run without LIST cases skips the million-key bucket).
//	-sizes LIST            object sizes of PUT and GET in every suite (default:
//	                       each suite's own, below).
//	-workers LIST          concurrent workers of PUT and GET in every suite
//	                       (default: each suite's own, below).
//	-keys N                keys in the LIST bucket, a multiple of 500
//	                       (default 1000000).
//	-populate-workers N    concurrent writers that fill the LIST bucket the
//	                       first time (default 64).
//	-signed-payload        server suite: send PUT bodies with a signed SHA-256
//	                       of the payload, hashed by the client and checked by
//	                       the server, instead of UNSIGNED-PAYLOAD.
//	-cpuprofile FILE       write a CPU profile of the whole run (both sides,
//	                       and in the server suite client and server alike) to
//	                       FILE, for go tool pprof.
//	-file-size SIZE        mount suite: size of the large files read and
//	                       written (default 1GiB); select suite: size of
//	                       the CSV object.
//	-entries N             mount suite: entries of the ls -l directory and of
//	                       the find tree, a multiple of 100 (default 10000).
//	-short                 mount suite: 256MiB files and 1000 entries unless
//	                       -file-size or -entries say otherwise. sync suite:
//	                       1,000 small files and 256 MiB of large ones.
//
// Suites:
//
//	engine   the embedded engine (objstore/disk) in-process. PUT and GET are
//	         compared with raw files of the same bytes on the same disk (write,
//	         fsync, rename, fsync dir; and plain reads, both sides warm in the
//	         page cache); LIST with an ordered scan of a bare pebble DB
//	         holding the same keys. PUT and GET of 4KiB,16MiB by 1,16 workers.
//	server   cairn serve's S3 API (objstore/s3api over objstore/disk) in
//	         this process on a loopback port, driven by aws-sdk-go-v2's S3
//	         client, against the same engine called directly: PUT and GET of
//	         4KiB,1MiB,64MiB by 1,16,64 workers on the same objects. A case
//	         moves at most about 1 GiB of distinct objects, and one that
//	         moves 1 GiB or more per op of every worker (64 MiB ×16 and ×64)
//	         is timed in one slice per side. About 4 minutes.
//	mount    fio and shell workloads, on cairn mount, s3fs, rclone mount
//	         --vfs-cache-mode writes and full, each on a bucket of its own of
//	         one cairn serve subprocess, and on a directory of the same disk
//	         (the ceiling): sequential read of a -file-size file cold (the
//	         kernel's caches dropped, a file the contender never read) and
//	         warm (again), 4 KiB random reads, sequential write, creating
//	         -entries/10 files of 16 KiB, ls -l of -entries entries, find
//	         over -entries files in 100 directories, untarring Go's src/net.
//	         Writes are timed until the server holds them. Cases: read-cold,
//	         read-warm, randread-4k, write, create, ls-l, find, untar. Needs
//	         root, FUSE, fio, s3fs and rclone (make deps); leaves nothing
//	         mounted or running, even on Ctrl-C or SIGTERM. About 5 minutes
//	         on an idle 2-core machine (-short: 2); the table ends with the
//	         load average the figures were taken under.
//	sync     the initial sync of a tree by cairn sync --once, rclone sync,
//	         rclone bisync --resync and aws s3 sync, each from its own copy
//	         (hard links) into a bucket of its own of one cairn serve
//	         subprocess, all with their defaults, timed to their exit (the
//	         median of -rounds runs): 10,000 files of 4 KiB in 100
//	         directories (case small), 1 GiB in files of 64 MiB (large).
//	         Then the time from a local write to the remote object under a
//	         running cairn sync, over 100 overwrites of 4 KiB files in a
//	         folder of the small tree: with its default --settle
//	         (latency-default) and with --settle 100ms (latency-100ms); no
//	         other contender watches a folder. Needs rclone and the aws CLI
//	         (make deps); leaves nothing running. About 15 minutes (-short:
//	         5).
//	select   S3 Select through cairn's S3 server (in this process, on a
//	         loopback port, driven by aws-sdk-go-v2): the S3 guide's query
//	         over a CSV object of -file-size bytes (default 1GiB, written once
//	         into -dir/select-data and reused), next to a plain GET of the
//	         same object; both in MB/s of the object, and in MiB/s in the
//	         notes. About 1 minute per GiB on an idle 2-core machine.
//
// Ratios are cairn/ceiling (server/engine in the server suite); the goal
// column carries the targets cairn is held to: in the engine suite large
// PUT and GET at least 80%, 4 KiB PUT at least 50%; in the server suite
// PUT and GET of 16 MiB and more at least 80%, of 64 KiB and less at
// least 50%.
// The mount suite prints every contender's figure and cairn's ratio to
// each; its goals: cold read at least 2× s3fs, 1.5× rclone and 70% of
// the server's own GET of the file; warm read at least 80% of the local
// disk; write at least 1.5× s3fs; create, ls -l, find and untar at least
// 3× s3fs.
// The sync suite prints each contender's seconds and how many times
// faster cairn was; its goals: the small files at least 2× rclone (sync
// and bisync alike), and a median from write to remote object under 1 s.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run parses the flags, runs the chosen suites and prints their tables.
func run(ctx context.Context, args []string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	suites, err := pickSuites(cfg.suites)
	if err != nil {
		return err
	}
	if err := prepareDir(cfg.dir); err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		stop, err := startCPUProfile(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	out := os.Stdout
	printHeader(out, cfg, args)
	for _, s := range suites {
		env := &env{cfg: cfg, progress: os.Stderr}
		tbl, err := s.run(ctx, env)
		if err != nil {
			return fmt.Errorf("suite %s: %w", s.name(), err)
		}
		tbl.print(out)
	}
	return nil
}
