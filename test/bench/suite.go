package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// suite is one family of comparisons (the engine against the disk, the
// S3 server against the engine, the mount against other mounts, ...). A
// new one is a type with these methods, listed in registry.
type suite interface {
	// name is what -suite selects it by.
	name() string
	// about says in one line what it compares.
	about() string
	// run measures its cases and returns them as a table.
	run(ctx context.Context, env *env) (*table, error)
}

// registry lists every suite, in the order "all" runs them.
func registry() []suite {
	return []suite{engineSuite{}, serverSuite{}, mountSuite{}, syncSuite{}, selectSuite{}}
}

// pickSuites resolves the -suite names.
func pickSuites(names []string) ([]suite, error) {
	all := registry()
	if len(names) == 1 && names[0] == "all" {
		return all, nil
	}
	var out []suite
	for _, n := range names {
		s := findSuite(all, n)
		if s == nil {
			return nil, fmt.Errorf("unknown suite %q; suites:\n%s", n, describeSuites(all))
		}
		out = append(out, s)
	}
	return out, nil
}

func findSuite(all []suite, name string) suite {
	for _, s := range all {
		if s.name() == name {
			return s
		}
	}
	return nil
}

func describeSuites(all []suite) string {
	var b strings.Builder
	for _, s := range all {
		fmt.Fprintf(&b, "  %-8s %s\n", s.name(), s.about())
	}
	return b.String()
}

// env is what a suite runs with.
type env struct {
	cfg config
	// progress receives what the user should see while a suite works
	// (population, each case as it starts); the tables go to stdout.
	progress io.Writer
}

// logf prints one progress line.
func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.progress, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// wants tells whether the -cases filter selects a case.
func (e *env) wants(name string) bool {
	return e.cfg.cases.MatchString(name)
}

// sizes are the -sizes of PUT and GET, or a suite's own when not given.
func (e *env) sizes(suiteDefault []int64) []int64 {
	if e.cfg.sizes == nil {
		return suiteDefault
	}
	return e.cfg.sizes
}

// workers are the -workers of PUT and GET, or a suite's own when not given.
func (e *env) workers(suiteDefault []int) []int {
	if e.cfg.workers == nil {
		return suiteDefault
	}
	return e.cfg.workers
}
