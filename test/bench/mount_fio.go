package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"time"
)

// fioJob is one fio job on one file: how it reads or writes it.
type fioJob struct {
	file string
	// rw is fio's pattern: read, randread or write.
	rw string
	bs string
	// size is the part of the file the job works in, from its start.
	size int64
	// ioSize, when set, is what the job reads or writes in all (random
	// reads, each block once, cover only a part of the file).
	ioSize int64
	// runtime, when set, ends the job after that long even if it has not
	// done all its I/O.
	runtime time.Duration
}

// fioResult is what fio reports of the job's reads or writes.
type fioResult struct {
	bytes   int64
	ios     int64
	runtime time.Duration
}

// fioOut is the part of fio's JSON output the suite reads.
type fioOut struct {
	Jobs []struct {
		Error int     `json:"error"`
		Read  fioSide `json:"read"`
		Write fioSide `json:"write"`
	} `json:"jobs"`
}

type fioSide struct {
	IOBytes   int64 `json:"io_bytes"`
	TotalIOs  int64 `json:"total_ios"`
	RuntimeMS int64 `json:"runtime"`
}

// args are fio's arguments for the job: one process, synchronous I/O
// through the page cache, which the suite itself drops for cold runs
// (fio does not invalidate it).
func (j fioJob) args() []string {
	a := []string{"--name=bench", "--filename=" + j.file, "--rw=" + j.rw, "--bs=" + j.bs,
		"--size=" + strconv.FormatInt(j.size, 10), "--ioengine=psync", "--direct=0",
		"--numjobs=1", "--iodepth=1", "--invalidate=0", "--fallocate=none", "--output-format=json"}
	if j.rw == "write" {
		a = append(a, "--end_fsync=1", "--create_on_open=1")
	} else {
		a = append(a, "--readonly")
	}
	if j.ioSize > 0 {
		a = append(a, "--io_size="+strconv.FormatInt(j.ioSize, 10))
	}
	if j.runtime > 0 {
		a = append(a, fmt.Sprintf("--runtime=%dms", j.runtime.Milliseconds()))
	}
	return a
}

// runFio runs the job and returns what it did.
func runFio(ctx context.Context, j fioJob) (fioResult, error) {
	cmd := exec.CommandContext(ctx, "fio", j.args()...)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		return fioResult{}, fmt.Errorf("fio %s %s: %w\n%s%s", j.rw, j.file, err, out, stderr)
	}
	var o fioOut
	// fio may print a notice before its JSON.
	if i := bytes.IndexByte(out, '{'); i > 0 {
		out = out[i:]
	}
	if err := json.Unmarshal(out, &o); err != nil || len(o.Jobs) != 1 {
		return fioResult{}, fmt.Errorf("fio %s %s: unreadable output (%v):\n%s", j.rw, j.file, err, out)
	}
	job := o.Jobs[0]
	if job.Error != 0 {
		return fioResult{}, fmt.Errorf("fio %s %s: job error %d", j.rw, j.file, job.Error)
	}
	s := job.Read
	if j.rw == "write" {
		s = job.Write
	}
	return fioResult{bytes: s.IOBytes, ios: s.TotalIOs, runtime: time.Duration(s.RuntimeMS) * time.Millisecond}, nil
}
