package transfer

import (
	"context"
	"io"
	"iter"
	"sync"
)

// parallel runs fn on every job of jobs, n at a time. It stops handing
// out jobs at the first error, of fn or of jobs, and returns that error
// once every running fn has returned.
func parallel[T any](ctx context.Context, n int, jobs iter.Seq2[T, error], fn func(context.Context, T) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ch := make(chan T)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for j := range ch {
				if err := fn(ctx, j); err != nil {
					cancel(err)
				}
			}
		})
	}
	feed(ctx, cancel, jobs, ch)
	close(ch)
	wg.Wait()
	return context.Cause(ctx)
}

// feed sends jobs to ch until they run out or ctx is done.
func feed[T any](ctx context.Context, cancel context.CancelCauseFunc, jobs iter.Seq2[T, error], ch chan<- T) {
	for j, err := range jobs {
		if err != nil {
			cancel(err)
			return
		}
		select {
		case ch <- j:
		case <-ctx.Done():
			return
		}
	}
}

// all yields the items of s with no error.
func all[T any](s []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, v := range s {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// progressReader reports every byte read through it.
type progressReader struct {
	r      io.Reader
	report func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.report(int64(n))
	}
	return n, err
}
