package history

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// errKept reports a directory left in place because something kept is
// still in it.
var errKept = errors.New("directory kept: it still holds files")

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Transfer tunes downloads and copies: part size, concurrency and
	// Progress, which is told of the bytes as they move.
	Transfer transfer.Options
	// Done, when set, is told of each step once done, with its error if
	// it failed. Unchanged and skipped steps are reported too.
	Done func(Step, error)
}

// Apply carries out the plan on st, step by step. A failed step does not
// stop the others; Apply then returns an error counting the failures,
// along with the summary of what was done. Cancelling ctx stops it.
func (p *Plan) Apply(ctx context.Context, st objstore.Store, opts ApplyOptions) (Summary, error) {
	var (
		sum Summary
		run func(context.Context, Step) error
	)
	if p.Remote() {
		run = (&remoteApplier{st: st, bucket: p.Bucket, opts: opts.Transfer}).apply
	} else {
		la, err := openLocal(st, p, opts.Transfer)
		if err != nil {
			return sum, err
		}
		defer la.close()
		run = la.apply
		defer func() { la.finishDirs() }()
	}
	var first error
	for _, s := range p.Steps {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		err := run(ctx, s)
		switch {
		case errors.Is(err, errKept):
			err = nil
		case err != nil:
			sum.Failed++
			first = firstErr(first, err)
		default:
			sum.count(s)
		}
		if opts.Done != nil {
			opts.Done(s, err)
		}
	}
	if sum.Failed > 0 {
		return sum, fmt.Errorf("%d of %d steps failed, the first: %w", sum.Failed, len(p.Steps), first)
	}
	return sum, nil
}

// firstErr keeps the first error.
func firstErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
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
