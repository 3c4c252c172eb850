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

// compare measures cairn and its ceiling with the same workers: a short
// unmeasured warm-up of each, then -rounds slices of each in turn, the
// side that goes first switching every round.
func compare(ctx context.Context, e *env, workers int, cairn, ceiling op) (result, result, error) {
	slice := e.cfg.duration / time.Duration(e.cfg.rounds)
	warm := min(slice/4, time.Second)
	a, b := &side{name: "cairn", fn: cairn}, &side{name: "ceiling", fn: ceiling}
	for _, s := range []*side{a, b} {
		if _, err := measure(ctx, workers, warm, s.fn); err != nil {
			return a.res, b.res, fmt.Errorf("%s warm-up: %w", s.name, err)
		}
	}
	for round := range e.cfg.rounds {
		order := []*side{a, b}
		if round%2 == 1 {
			order[0], order[1] = b, a
		}
		for _, s := range order {
			r, err := measure(ctx, workers, slice, s.fn)
			if err != nil {
				return a.res, b.res, fmt.Errorf("%s: %w", s.name, err)
			}
			s.res = s.res.add(r)
		}
	}
	return a.res, b.res, nil
}
