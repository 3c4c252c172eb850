package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// op is one operation of one worker; i counts that worker's operations in
// the current run. It returns the bytes it moved.
type op func(ctx context.Context, worker int, i int64) (int64, error)

// measure runs fn on workers goroutines until d has passed and returns
// what they did. Operations that started before the deadline finish and
// count, and so does the time they take.
func measure(ctx context.Context, workers int, d time.Duration, fn op) (result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ops, bytes atomic.Int64
	var errOnce sync.Once
	var firstErr error
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := int64(0); time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				n, err := fn(ctx, w, i)
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("worker %d, op %d: %w", w, i, err) })
					cancel()
					return
				}
				ops.Add(1)
				bytes.Add(n)
			}
		})
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return result{ops: ops.Load(), bytes: bytes.Load(), elapsed: time.Since(start)}, firstErr
}

// side is one contender of a comparison.
type side struct {
	name string
	fn   op
	res  result
}

// timing is how one case is timed: an unmeasured warm-up of each side
// (none when zero), then rounds slices of each side in turn.
type timing struct {
	warm   time.Duration
	slice  time.Duration
	rounds int
}

// timing is the default timing of a case: -duration split over -rounds
// slices, and a warm-up of a quarter slice, at most a second.
func (e *env) timing() timing {
	slice := e.cfg.duration / time.Duration(e.cfg.rounds)
	return timing{warm: min(slice/4, time.Second), slice: slice, rounds: e.cfg.rounds}
}

// compare measures cairn and its ceiling with the same workers, under the
// default timing.
func compare(ctx context.Context, e *env, workers int, cairn, ceiling op) (result, result, error) {
	a, b := &side{name: "cairn", fn: cairn}, &side{name: "ceiling", fn: ceiling}
	err := compareSides(ctx, e.timing(), workers, a, b)
	return a.res, b.res, err
}

// compareSides measures two sides with the same workers: a warm-up of
// each, then tm.rounds slices of each in turn, the side that goes first
// switching every round, so that drift in the machine hits both. Each
// side's res sums its slices.
func compareSides(ctx context.Context, tm timing, workers int, a, b *side) error {
	if tm.warm > 0 {
		for _, s := range []*side{a, b} {
			if _, err := measure(ctx, workers, tm.warm, s.fn); err != nil {
				return fmt.Errorf("%s warm-up: %w", s.name, err)
			}
		}
	}
	for round := range tm.rounds {
		order := []*side{a, b}
		if round%2 == 1 {
			order[0], order[1] = b, a
		}
		for _, s := range order {
			r, err := measure(ctx, workers, tm.slice, s.fn)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			s.res = s.res.add(r)
		}
	}
	return nil
}
