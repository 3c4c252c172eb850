package test

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// crashPlanKind is when a round kills its child.
type crashPlanKind int

const (
	planTimer      crashPlanKind = iota // a random delay after the child is ready
	planAfterBegin                      // right after the n-th begin line
	planAtStart                         // a random delay after start, while it opens the store
	crashPlanKinds
)

// crashChildWatchdog bounds a round whose kill never comes, e.g. because
// the child hangs while opening the store; no healthy round comes close.
const crashChildWatchdog = 2 * time.Minute

// crashPlan says when one round kills its child.
type crashPlan struct {
	kind   crashPlanKind
	delay  time.Duration
	begins int
}

func (p crashPlan) String() string {
	switch p.kind {
	case planTimer:
		return fmt.Sprintf("kill %v after ready", p.delay)
	case planAfterBegin:
		return fmt.Sprintf("kill after begin line %d", p.begins)
	}
	return fmt.Sprintf("kill %v after start", p.delay)
}

// drawCrashPlan draws a round's kill plan from the seeded generator.
func drawCrashPlan(rng *rand.Rand) crashPlan {
	switch n := rng.IntN(10); {
	case n < 6:
		return crashPlan{kind: planTimer, delay: time.Duration(20+rng.IntN(381)) * time.Millisecond}
	case n < 9:
		return crashPlan{kind: planAfterBegin, begins: 1 + rng.IntN(30)}
	default:
		return crashPlan{kind: planAtStart, delay: time.Duration(rng.IntN(60)) * time.Millisecond}
	}
}

// isAnnounce tells whether a verb announces a mutation about to start.
func isAnnounce(verb string) bool {
	switch verb {
	case verbBegin, verbDBegin, verbMBegin, verbPart, verbABegin:
		return true
	}
	return false
}

// crashProc is one running child and the lines it printed.
type crashProc struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr tailWriter
	other  []string // stdout lines that are no protocol lines
	once   sync.Once
	err    error
}

// startCrashChild starts this test binary as TestCrashChild on dir.
func startCrashChild(dir string, seed, round uint64) (*crashProc, error) {
	p := &crashProc{lines: make(chan string, 256)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.timeout=10m")
	p.cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d:%d:%s", crashChildEnv, seed, round, dir))
	p.cmd.Stderr = &p.stderr
	p.cmd.SysProcAttr = crashProcAttr()
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("child stdout: %w", err)
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start child %s: %w", os.Args[0], err)
	}
	go readLines(out, p.lines)
	return p, nil
}

// readLines sends each complete line of r, then closes lines at EOF. A
// last fragment without a newline is dropped: it was never fully written.
func readLines(r io.Reader, lines chan<- string) {
	defer close(lines)
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		lines <- strings.TrimSuffix(line, "\n")
	}
}

// kill sends SIGKILL once.
func (p *crashProc) kill() {
	p.once.Do(func() { p.err = p.cmd.Process.Kill() })
}

// stop kills the child if it still runs, drains its output and reaps it.
func (p *crashProc) stop() {
	p.kill()
	for range p.lines {
	}
	if p.cmd.ProcessState == nil {
		p.cmd.Wait()
	}
}

// runCrashRound runs one child until the plan kills it and returns the
// protocol lines it printed, all of them written before it died.
func runCrashRound(t *testing.T, dir string, seed, round uint64, plan crashPlan) ([]crashEvent, error) {
	p, err := startCrashChild(dir, seed, round)
	if err != nil {
		return nil, err
	}
	t.Cleanup(p.stop) // in case a failure skips the deferred stop
	defer p.stop()
	var timer <-chan time.Time
	if plan.kind == planAtStart {
		timer = time.After(plan.delay)
	}
	watchdog := time.After(crashChildWatchdog)
	var events []crashEvent
	begins, killed := 0, false
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				return events, p.reap(killed)
			}
			ev, proto, err := parseCrashLine(line)
			if err != nil {
				return nil, err
			}
			if !proto {
				p.other = append(p.other, line)
				continue
			}
			events = append(events, ev)
			if ev.verb == verbReady && plan.kind == planTimer {
				timer = time.After(plan.delay)
			}
			if isAnnounce(ev.verb) {
				begins++
			}
			if plan.kind == planAfterBegin && begins == plan.begins && !killed {
				p.kill()
				killed = true
			}
		case <-timer:
			timer = nil
			p.kill()
			killed = true
		case <-watchdog:
			return nil, fmt.Errorf("child not killed after %v (%d lines, %s); stderr: %s", crashChildWatchdog, len(events), plan, p.stderr.String())
		}
	}
}

// reap waits for the child after its output ended and checks that it died
// of the kill, not by itself.
func (p *crashProc) reap(killed bool) error {
	werr := p.cmd.Wait()
	if killed && p.err == nil && p.cmd.ProcessState.ExitCode() == -1 {
		return nil
	}
	return fmt.Errorf("child ended by itself (%v, killed=%v, kill error %v)\nstdout: %s\nstderr: %s",
		werr, killed, p.err, strings.Join(p.other, "\n"), p.stderr.String())
}

// tailWriter keeps the last 64 KiB written to it.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
}

func (w *tailWriter) Write(b []byte) (int, error) {
	const keep = 64 << 10
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	if len(w.buf) > keep {
		w.buf = w.buf[len(w.buf)-keep:]
	}
	return len(b), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
