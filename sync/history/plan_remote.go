package history

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// ErrNoHistory reports a restore onto a bucket that does not keep
// versions: there is no history to restore from, and copying an old
// version would overwrite the only one.
var ErrNoHistory = errors.New("bucket versioning is not enabled")

// PlanRemote works out the restore of req onto the bucket itself: each
// key whose current version differs from the one current then gets that
// version copied onto it server side (a new latest version, older ones
// untouched), and each key that did not exist then gets a delete marker,
// unless req.KeepNewer. The bucket must have versioning enabled.
func PlanRemote(ctx context.Context, st objstore.Store, req Request) (*Plan, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	if err := checkVersioned(ctx, st, req.Bucket); err != nil {
		return nil, err
	}
	p := &Plan{Bucket: req.Bucket}
	for ks, err := range req.states(ctx, st) {
		if err != nil {
			return nil, err
		}
		if !req.Tree && ks.Then == nil && ks.Now == nil {
			return nil, req.missing()
		}
		if s, ok := remoteStep(ks, req.KeepNewer); ok {
			p.Steps = append(p.Steps, s)
		}
	}
	return p, nil
}

// remoteStep is what bringing back ks.Then takes, if anything.
func remoteStep(ks KeyState, keepNewer bool) (Step, bool) {
	switch {
	case ks.Then == nil && ks.Now == nil:
		return Step{}, false
	case ks.Then == nil && keepNewer:
		return Step{}, false
	case ks.Then == nil:
		return Step{Op: OpDelete, Key: ks.Key, Path: ks.Key, Version: *ks.Now}, true
	case !ks.Changed():
		return Step{Op: OpSame, Key: ks.Key, Path: ks.Key, Version: *ks.Then}, true
	}
	return Step{Op: OpCopy, Key: ks.Key, Path: ks.Key, Version: *ks.Then}, true
}

// checkVersioned fails with ErrNoHistory unless bucket has versioning
// enabled.
func checkVersioned(ctx context.Context, st objstore.BucketStore, bucket string) error {
	state, err := st.GetBucketVersioning(ctx, bucket)
	if err != nil {
		return fmt.Errorf("versioning of %s: %w", bucket, err)
	}
	switch state {
	case objstore.VersioningEnabled:
		return nil
	case objstore.VersioningSuspended:
		return fmt.Errorf("bucket %s: %w (it is suspended: a restore would overwrite the null version; enable versioning first)", bucket, ErrNoHistory)
	}
	return fmt.Errorf("bucket %s: %w (it keeps no history to restore from)", bucket, ErrNoHistory)
}
