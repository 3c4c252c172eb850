package history

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// DefaultConcurrency is how many files a restore writes or copies at once.
const DefaultConcurrency = 4

// errKept reports a directory left in place because something kept is
// still in it.
var errKept = errors.New("directory kept: it still holds files")

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Transfer tunes downloads and copies: part size, concurrency within
	// one large file, and Progress, which is told of the bytes as they
	// move (never by two calls at once).
	Transfer transfer.Options
	// Concurrency is how many files are written or copied at once; 0
	// means DefaultConcurrency.
	Concurrency int
	// Done, when set, is told of each step once done, with its error if
	// it failed; never by two calls at once. Unchanged and skipped steps
	// are reported too.
	Done func(Step, error)
}

// Apply carries out the plan on st: first the removals, one by one, then
// the writes or copies, several at once. A failed step does not stop the
// others; Apply then returns an error counting the failures, along with
// the summary of what was done. Cancelling ctx stops it.
func (p *Plan) Apply(ctx context.Context, st objstore.Store, opts ApplyOptions) (Summary, error) {
	opts.Transfer.Progress = serialize(opts.Transfer.Progress)
	r := &stepRunner{done: opts.Done}
	if p.Remote() {
		r.run = (&remoteApplier{st: st, bucket: p.Bucket, opts: opts.Transfer}).apply
	} else {
		la, err := openLocal(st, p, opts.Transfer)
		if err != nil {
			return Summary{}, err
		}
		defer la.close()
		defer la.finishDirs()
		r.run = la.apply
	}
	n := opts.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	first := sequentialSteps(p.Steps)
	for _, s := range p.Steps[:first] {
		if ctx.Err() != nil {
			break
		}
		r.do(ctx, s)
	}
	r.parallel(ctx, p.Steps[first:], n)
	if err := ctx.Err(); err != nil {
		return r.sum, err
	}
	if r.sum.Failed > 0 {
		return r.sum, fmt.Errorf("%d of %d steps failed, the first: %w", r.sum.Failed, len(p.Steps), r.first)
	}
	return r.sum, nil
}

// sequentialSteps is how many leading steps (skips and removals) must
// be done one by one and before the rest.
func sequentialSteps(steps []Step) int {
	for i, s := range steps {
		if s.Op != OpSkip && s.Op != OpRemove && s.Op != OpRemoveDir {
			return i
		}
	}
	return len(steps)
}

// stepRunner runs steps and keeps their count.
type stepRunner struct {
	run  func(context.Context, Step) error
	done func(Step, error)

	mu    sync.Mutex
	sum   Summary
	first error
}

// do runs one step and records the outcome.
func (r *stepRunner) do(ctx context.Context, s Step) {
	err := r.run(ctx, s)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case errors.Is(err, errKept):
		err = nil
	case err != nil:
		r.sum.Failed++
		if r.first == nil {
			r.first = err
		}
	default:
		r.sum.count(s)
	}
	if r.done != nil {
		r.done(s, err)
	}
}

// parallel runs steps, n at a time, until they are done or ctx ends.
func (r *stepRunner) parallel(ctx context.Context, steps []Step, n int) {
	next := make(chan Step)
	var wg sync.WaitGroup
	for range min(n, len(steps)) {
		wg.Go(func() {
			for s := range next {
				r.do(ctx, s)
			}
		})
	}
	for _, s := range steps {
		if ctx.Err() != nil {
			break
		}
		next <- s
	}
	close(next)
	wg.Wait()
}

// serialize wraps fn so that concurrent calls run one at a time.
func serialize(fn func(int64)) func(int64) {
	if fn == nil {
		return func(int64) {}
	}
	var mu sync.Mutex
	return func(n int64) {
		mu.Lock()
		defer mu.Unlock()
		fn(n)
	}
}

// remoteApplier restores onto the bucket.
type remoteApplier struct {
	st     objstore.Store
	bucket string
	opts   transfer.Options
}

func (ra *remoteApplier) apply(ctx context.Context, s Step) error {
	switch s.Op {
	case OpCopy:
		co := objstore.CopyOptions{Source: objstore.CopySource{Bucket: ra.bucket, Key: s.Key, VersionID: s.Version.VersionID}}
		_, err := transfer.Copy(ctx, ra.st, ra.bucket, s.Key, co, ra.opts)
		return err
	case OpDelete:
		if _, err := ra.st.DeleteObject(ctx, ra.bucket, s.Key, objstore.DeleteOptions{}); err != nil {
			return fmt.Errorf("delete %s/%s: %w", ra.bucket, s.Key, err)
		}
	}
	return nil
}
