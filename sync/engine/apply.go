package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// errChanged reports a local file that changed while the sync worked on
// it; the path waits for the next pass.
var errChanged = errors.New("changed while syncing; left for the next pass")

// apply runs the actions, deletes first, and sums them up.
func (e *Engine) apply(ctx context.Context, actions []Action) Summary {
	var (
		bytes int64
		count int
	)
	for _, a := range actions {
		if !a.Quiet() {
			count++
			bytes += a.Size
		}
	}
	if count > 0 {
		e.opts.Reporter.Planned(count, bytes)
	}
	var sum Summary
	// Deletes go first: a path that changes from file to directory (or
	// back) must be cleared before it is written.
	first, then := splitDeletes(actions)
	e.runAll(ctx, first, &sum)
	e.runAll(ctx, then, &sum)
	return sum
}

// splitDeletes separates the deletes from the other actions.
func splitDeletes(actions []Action) (deletes, rest []Action) {
	for _, a := range actions {
		if a.Kind == DeleteLocal || a.Kind == DeleteRemote || a.Kind == Forget {
			deletes = append(deletes, a)
		} else {
			rest = append(rest, a)
		}
	}
	return deletes, rest
}

// runAll runs actions opts.Concurrency at a time and adds them to sum.
func (e *Engine) runAll(ctx context.Context, actions []Action, sum *Summary) {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	jobs := make(chan Action)
	for range e.opts.Concurrency {
		wg.Go(func() {
			for a := range jobs {
				err := e.retry(ctx, a)
				mu.Lock()
				tally(sum, a, err)
				mu.Unlock()
				if !a.Quiet() || err != nil {
					e.opts.Reporter.Done(a, err)
				}
			}
		})
	}
	for _, a := range actions {
		if ctx.Err() != nil {
			break
		}
		jobs <- a
	}
	close(jobs)
	wg.Wait()
}

// tally adds the outcome of a to sum.
func tally(sum *Summary, a Action, err error) {
	switch {
	case errors.Is(err, errChanged):
		sum.Pending++
		return
	case err != nil:
		sum.Failed++
		sum.Errors = append(sum.Errors, fmt.Errorf("%s: %w", a, err))
		return
	}
	sum.Bytes += a.Size
	switch a.Kind {
	case Upload:
		sum.Uploaded++
	case Download:
		sum.Downloaded++
	case DeleteRemote:
		sum.DeletedRemote++
	case DeleteLocal:
		sum.DeletedLocal++
	case RenameRemote, RenameLocal:
		sum.Renamed++
	case Conflict:
		sum.Conflicts++
	}
}

// retry runs a, again after a pause when it failed in a way that may pass.
func (e *Engine) retry(ctx context.Context, a Action) error {
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := e.run(ctx, a)
		if err == nil || attempt == 3 || !retryable(err) {
			return err
		}
		e.opts.Logger.Debug("retrying", "action", a.String(), "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay *= 4
	}
}

// retryable tells whether an error may go away by itself: not a refusal
// of the store's (a 4xx answer), nor a local condition like a full disk
// or a permission.
func retryable(err error) bool {
	var se *objstore.Error
	if errors.As(err, &se) {
		return !objstore.Refused(se)
	}
	if errors.Is(err, errChanged) || errors.Is(err, context.Canceled) {
		return false
	}
	return !errors.Is(err, fs.ErrPermission) && !errors.Is(err, syscall.ENOSPC) &&
		!errors.Is(err, fs.ErrExist) && !errors.Is(err, fs.ErrNotExist)
}

// run carries out one action.
func (e *Engine) run(ctx context.Context, a Action) error {
	if a.e.isDir() {
		return e.runDir(ctx, a)
	}
	switch a.Kind {
	case Upload:
		return e.doUpload(ctx, a.e)
	case Download:
		return e.doDownload(ctx, a.e)
	case DeleteRemote:
		return e.doDeleteRemote(ctx, a.e)
	case DeleteLocal:
		return e.doDeleteLocal(a.e, a.keep)
	case RenameRemote:
		return e.doRenameRemote(ctx, a.from, a.e)
	case RenameLocal:
		return e.doRenameLocal(a.from, a.e, a.keep)
	case Conflict:
		return e.doConflict(ctx, a.e)
	case UpdateMeta:
		return e.doUpdateMeta(ctx, a.e)
	case Record:
		return e.doRecord(ctx, a.e)
	case Forget:
		return e.db.Delete(a.Rel)
	case PullMeta:
		return e.doPullMeta(ctx, a.e)
	case Adopt:
		return e.doAdopt(a.e)
	}
	return fmt.Errorf("unknown action %d", a.Kind)
}

// doAdopt notes in the record the remote LastModified first seen.
func (e *Engine) doAdopt(en entry) error {
	rec := *en.s
	rec.Modified = en.r.modified.UnixMilli()
	return e.db.Put(en.rel, rec)
}
