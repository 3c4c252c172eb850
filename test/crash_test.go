package test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore/disk"
)

// Environment of the crash test.
const (
	// crashChildEnv carries "<seed>:<round>:<data dir>" to the child.
	crashChildEnv = "CAIRN_CRASH_CHILD"
	// crashSeedEnv replays a run: set it to the seed a failure logged.
	crashSeedEnv = "CAIRN_CRASH_SEED"
	// crashRoundsEnv overrides the number of rounds.
	crashRoundsEnv = "CAIRN_CRASH_ROUNDS"
	// crashFullEvery is how often (in rounds) every version is re-read
	// in full; in between, old versions are checked by their last byte.
	crashFullEvery = 5
)

// TestCrash checks that whatever the store told a client is stored
// survives kill -9 at any instant. Each round runs a child process (this
// test binary, as TestCrashChild) that writes to the store in a loop and
// announces each write before and after it, kills it with SIGKILL at a
// random instant, reopens the store and checks it against everything
// announced so far: acked versions read back byte-exact, the current
// version of each key is the last acked or the one in flight, nothing
// listed is torn or unannounced, and leftover multipart uploads hold the
// announced part bytes. History accumulates over the rounds on one data
// directory. Reproduce a failure with CAIRN_CRASH_SEED set to the logged seed.
func TestCrash(t *testing.T) {
	seed := crashSeed(t)
	rounds := crashRounds(t)
	t.Logf("seed %d, %d rounds (replay with %s=%d)", seed, rounds, crashSeedEnv, seed)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 0))
	h := newCrashHistory()
	stats := &crashStats{}
	var plans [crashPlanKinds]int
	for r := range rounds {
		plan := drawCrashPlan(rng)
		plans[plan.kind]++
		events, err := runCrashRound(t, dir, seed, uint64(r), plan)
		if err != nil {
			t.Fatalf("seed %d round %d (%s): %v", seed, r, plan, err)
		}
		full := (r+1)%crashFullEvery == 0 || r == rounds-1
		if err := verifyCrashRound(h, events, full, stats, dir); err != nil {
			t.Fatalf("seed %d round %d (%s, %d lines): %v", seed, r, plan, len(events), err)
		}
	}
	t.Logf("kills: %d on a timer, %d right after a begin line, %d while opening", plans[planTimer], plans[planAfterBegin], plans[planAtStart])
	t.Logf("history: %s", h.summary())
	t.Logf("in flight at the kill: %d committed, %d not; %d versions read in full (%d MiB); %d leftover uploads (%d parts) read back",
		stats.landed, stats.notLanded, stats.fullReads, stats.bytesRead>>20, stats.uploadsChecked, stats.partsChecked)
}

// TestCrashChild is the writer TestCrash runs and kills; it does nothing
// when run on its own.
func TestCrashChild(t *testing.T) {
	spec := os.Getenv(crashChildEnv)
	if spec == "" {
		t.Skip("runs only as TestCrash's child process")
	}
	seed, round, dir, err := parseCrashChildSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	err = runCrashChild(context.Background(), dir, seed, round, os.Stdout)
	t.Fatalf("crash child stopped: %v", err)
}

func parseCrashChildSpec(spec string) (seed, round uint64, dir string, err error) {
	f := strings.SplitN(spec, ":", 3)
	if len(f) != 3 {
		return 0, 0, "", fmt.Errorf("%s=%q: want seed:round:dir", crashChildEnv, spec)
	}
	seed, err = strconv.ParseUint(f[0], 10, 64)
	if err == nil {
		round, err = strconv.ParseUint(f[1], 10, 64)
	}
	if err != nil {
		return 0, 0, "", fmt.Errorf("%s=%q: %w", crashChildEnv, spec, err)
	}
	return seed, round, f[2], nil
}

func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv(crashSeedEnv); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, s, err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

func crashRounds(t *testing.T) int {
	if s := os.Getenv(crashRoundsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", crashRoundsEnv, s)
		}
		return n
	}
	if testing.Short() {
		return 10
	}
	return 50
}

// verifyCrashRound folds a round's events into the history, then opens
// the store and checks it against the history.
func verifyCrashRound(h *crashHistory, events []crashEvent, full bool, stats *crashStats, dir string) error {
	op, err := h.apply(events)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := disk.Open(dir, disk.Options{InlineThreshold: crashInlineThreshold, Logger: log})
	if err != nil {
		return fmt.Errorf("reopen store after kill: %w", err)
	}
	v := &crashVerifier{st: st, h: h, op: op, full: full, stats: stats}
	err = v.run(context.Background())
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close store: %w", cerr)
	}
	return err
}

// summary counts what the history holds.
func (h *crashHistory) summary() string {
	var versions, markers, unacked int
	var bytes int64
	for _, es := range h.keys {
		for _, e := range es {
			switch {
			case e.marker:
				markers++
			default:
				versions++
				bytes += e.size
			}
			if !e.acked {
				unacked++
			}
		}
	}
	return fmt.Sprintf("%d keys, %d versions (%d MiB), %d delete markers, %d of them found committed while in flight, %d uploads",
		len(h.keys), versions, bytes>>20, markers, unacked, len(h.uploads))
}
