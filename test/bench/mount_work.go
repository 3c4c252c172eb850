package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// measurement is one workload on one contender: its rate in the
// workload's unit, and the time it took.
type measurement struct {
	rate float64
	took time.Duration
}

// workload is one row of the mount suite.
type workload struct {
	// name is what -cases matches.
	name string
	// title is the row's label.
	title string
	// unit is the unit of the rate: MB/s, IOPS, files/s.
	unit  string
	needs dataNeeds
	run   func(ctx context.Context, l *lab, c *contender) (measurement, error)
	// goal is what cairn is held to; nil for none.
	goal []target
	// after names the workload this one runs right after, on the same
	// contender, when both are chosen.
	after string
}

// mountWorkloads lists the workloads in the order they run.
func mountWorkloads(e *env) []*workload {
	entries, creates := e.cfg.entries, e.cfg.entries/10
	size := formatSize(e.cfg.fileSize)
	return []*workload{
		{name: "read-cold", title: "sequential read " + size + ", cold", unit: "MB/s", needs: dataNeeds{big: true},
			run: seqRead(e, true), goal: []target{{cS3fs, 2}, {cRcloneWrites, 1.5}, {cRcloneFull, 1.5}, {serverGET, 0.7}}},
		{name: "read-warm", title: "sequential read " + size + ", warm", unit: "MB/s", needs: dataNeeds{big: true},
			run: seqRead(e, false), goal: []target{{cLocal, 0.8}}, after: "read-cold"},
		{name: "randread-4k", title: "random 4 KiB reads, cold", unit: "IOPS", needs: dataNeeds{rand: true},
			run: randRead(e)},
		{name: "write", title: "sequential write " + size, unit: "MB/s",
			run: seqWrite(e), goal: []target{{cS3fs, 1.5}}},
		{name: "create", title: fmt.Sprintf("create %s files of 16 KiB", thousands(creates)), unit: "files/s",
			run: createFiles(creates), goal: []target{{cS3fs, 3}}},
		{name: "ls-l", title: fmt.Sprintf("ls -l of %s entries", thousands(entries)), unit: "entries/s", needs: dataNeeds{ls: true},
			run: listLong(entries), goal: []target{{cS3fs, 3}}},
		{name: "find", title: fmt.Sprintf("find over %s files in %d dirs", thousands(entries), mountDirs), unit: "entries/s",
			needs: dataNeeds{tree: true}, run: findTree(entries), goal: []target{{cS3fs, 3}}},
		{name: "untar", title: "untar " + srcTreeName, unit: "files/s",
			run: untar, goal: []target{{cS3fs, 3}}},
	}
}

// seqRead reads the large file in order with fio, in 1 MiB reads: cold,
// after dropping the kernel's caches (the file was never read through
// the contender), or warm, right after a cold read.
func seqRead(e *env, cold bool) func(context.Context, *lab, *contender) (measurement, error) {
	return func(ctx context.Context, l *lab, c *contender) (measurement, error) {
		job := fioJob{file: filepath.Join(c.dir, bigFile), rw: "read", bs: "1M", size: e.cfg.fileSize}
		if cold {
			if err := dropCaches(); err != nil {
				return measurement{}, err
			}
		} else if !l.wasRead[c.name] {
			if _, err := runFio(ctx, job); err != nil {
				return measurement{}, err
			}
		}
		r, err := runFio(ctx, job)
		if err != nil {
			return measurement{}, err
		}
		l.wasRead[c.name] = true
		if r.bytes != e.cfg.fileSize {
			return measurement{}, fmt.Errorf("%s: fio read %d bytes of %d: %w", c.name, r.bytes, e.cfg.fileSize, errShort)
		}
		if err := checkPattern(job.file, l.pattern, e.cfg.fileSize); err != nil {
			return measurement{}, err
		}
		return measurement{rate: mb(r.bytes, r.runtime), took: r.runtime}, nil
	}
}

// randRead reads 4 KiB blocks of the other large file, never read
// before, at random offsets, each block once, after dropping the caches:
// a sixteenth of the file, or what -duration leaves time for.
func randRead(e *env) func(context.Context, *lab, *contender) (measurement, error) {
	return func(ctx context.Context, l *lab, c *contender) (measurement, error) {
		if err := dropCaches(); err != nil {
			return measurement{}, err
		}
		r, err := runFio(ctx, fioJob{file: filepath.Join(c.dir, randFile), rw: "randread", bs: "4k",
			size: e.cfg.fileSize, ioSize: e.cfg.fileSize / 16, runtime: e.cfg.duration})
		if err != nil {
			return measurement{}, err
		}
		return measurement{rate: float64(r.ios) / r.runtime.Seconds(), took: r.runtime}, nil
	}
}

// seqWrite writes a new large file in order with fio in 1 MiB writes and
// an fsync at the end, timed until it is stored.
func seqWrite(e *env) func(context.Context, *lab, *contender) (measurement, error) {
	return func(ctx context.Context, l *lab, c *contender) (measurement, error) {
		const name = "write.bin"
		start := time.Now()
		r, err := runFio(ctx, fioJob{file: filepath.Join(c.dir, name), rw: "write", bs: "1M", size: e.cfg.fileSize})
		if err != nil {
			return measurement{}, err
		}
		if r.bytes != e.cfg.fileSize {
			return measurement{}, fmt.Errorf("%s: fio wrote %d bytes of %d: %w", c.name, r.bytes, e.cfg.fileSize, errShort)
		}
		if err := l.settle(ctx, c, l.objectOfSize(c.bucket, name, e.cfg.fileSize)); err != nil {
			return measurement{}, err
		}
		took := time.Since(start)
		return measurement{rate: mb(r.bytes, took), took: took}, nil
	}
}

// createFiles writes n new files of 16 KiB one after the other, as a
// program saving files does, timed until they are stored.
func createFiles(n int) func(context.Context, *lab, *contender) (measurement, error) {
	return func(ctx context.Context, l *lab, c *contender) (measurement, error) {
		dir := filepath.Join(c.dir, "create")
		data := []byte(l.pattern[:16<<10])
		start := time.Now()
		if err := os.Mkdir(dir, 0o755); err != nil {
			return measurement{}, fmt.Errorf("%s: %w", c.name, err)
		}
		for i := range n {
			if err := ctx.Err(); err != nil {
				return measurement{}, err
			}
			path := filepath.Join(dir, fmt.Sprintf("f%05d", i))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				return measurement{}, fmt.Errorf("%s: %w", c.name, err)
			}
		}
		if err := l.settle(ctx, c, l.filesUnder(c.bucket, "create/", n)); err != nil {
			return measurement{}, err
		}
		took := time.Since(start)
		return measurement{rate: float64(n) / took.Seconds(), took: took}, nil
	}
}

// listLong runs ls -l on the flat directory, first listed now, after
// dropping the caches.
func listLong(entries int) func(context.Context, *lab, *contender) (measurement, error) {
	return func(ctx context.Context, l *lab, c *contender) (measurement, error) {
		// ls -l prints a "total" line, then one line an entry.
		return timedLines(ctx, c, entries+1, entries, "ls", "-l", filepath.Join(c.dir, lsDir))
	}
}

// findTree runs find over the tree, first walked now, after dropping the
// caches.
func findTree(entries int) func(context.Context, *lab, *contender) (measurement, error) {
	return func(ctx context.Context, l *lab, c *contender) (measurement, error) {
		// find prints the tree's root, its directories and its files.
		return timedLines(ctx, c, 1+mountDirs+entries, entries, "find", filepath.Join(c.dir, treeDir))
	}
}

// timedLines drops the caches, then times a command that must print
// lines lines; the rate counts n entries.
func timedLines(ctx context.Context, c *contender, lines, n int, name string, args ...string) (measurement, error) {
	if err := dropCaches(); err != nil {
		return measurement{}, err
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		return measurement{}, fmt.Errorf("%s: %s: %w: %s", c.name, name, err, stderr.Bytes())
	}
	if got := bytes.Count(out.Bytes(), []byte("\n")); got != lines {
		return measurement{}, fmt.Errorf("%s: %s printed %d lines, want %d: %w", c.name, name, got, lines, errShort)
	}
	return measurement{rate: float64(n) / took.Seconds(), took: took}, nil
}

// untar unpacks the source tree with tar, timed until its files are
// stored.
func untar(ctx context.Context, l *lab, c *contender) (measurement, error) {
	dir := filepath.Join(c.dir, "untar")
	start := time.Now()
	if err := os.Mkdir(dir, 0o755); err != nil {
		return measurement{}, fmt.Errorf("%s: %w", c.name, err)
	}
	cmd := exec.CommandContext(ctx, "tar", "-xf", l.tarball, "-C", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return measurement{}, fmt.Errorf("%s: tar: %w: %s", c.name, err, out)
	}
	if err := l.settle(ctx, c, l.filesUnder(c.bucket, "untar/", l.tarFiles)); err != nil {
		return measurement{}, err
	}
	took := time.Since(start)
	return measurement{rate: float64(l.tarFiles) / took.Seconds(), took: took}, nil
}

// checkPattern checks the first bytes of a large file against the
// pattern it was written with.
func checkPattern(path string, p pattern, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, min(int64(len(p)), size))
	if _, err := f.ReadAt(buf, 0); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if !bytes.Equal(buf, p[:len(buf)]) {
		return fmt.Errorf("%s: the first %d bytes differ from what was stored", path, len(p))
	}
	return nil
}

// mb is a throughput in MB (10^6 bytes) per second.
func mb(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / 1e6 / d.Seconds()
}

// thousands prints n with thousands separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
