package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// deleteUnchanged deletes key only while its current version has etag:
// a modification made elsewhere beats the delete. S3 has no conditional
// delete, so the condition is checked before, and on a versioned bucket
// also after: when the version the delete marker hides is not the one
// expected (written in between), the marker is removed again and that
// version is current once more.
func (e *Engine) deleteUnchanged(ctx context.Context, key, etag string) error {
	_, err := e.store.HeadObject(ctx, e.pair.Bucket, key, objstore.GetOptions{Conditions: objstore.Conditions{IfMatch: etag}})
	switch {
	case errors.Is(err, objstore.ErrNoSuchKey):
		return nil // already gone
	case errors.Is(err, objstore.ErrPreconditionFailed):
		return fmt.Errorf("%s changed remotely meanwhile: %w", key, errChanged)
	case err != nil:
		return fmt.Errorf("head %s: %w", key, err)
	}
	res, err := e.store.DeleteObject(ctx, e.pair.Bucket, key, objstore.DeleteOptions{})
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if !res.DeleteMarker || res.VersionID == "" {
		return nil
	}
	hidden, err := e.versionBelow(ctx, key, res.VersionID)
	if err != nil || hidden == nil || hidden.ETag == etag {
		return err
	}
	if _, err := e.store.DeleteObject(ctx, e.pair.Bucket, key, objstore.DeleteOptions{VersionID: res.VersionID}); err != nil {
		return fmt.Errorf("undo delete of %s: %w", key, err)
	}
	return fmt.Errorf("%s changed remotely meanwhile: %w", key, errChanged)
}

// versionBelow returns the version of key that the delete marker hides:
// the one next to it in the listing (S3 lists a key's versions newest
// first; some servers oldest first, so both ends are looked at), or nil.
func (e *Engine) versionBelow(ctx context.Context, key, marker string) (*objstore.ObjectInfo, error) {
	res, err := e.store.ListObjectVersions(ctx, e.pair.Bucket, objstore.ListVersionsOptions{Prefix: key})
	if err != nil {
		return nil, fmt.Errorf("list versions of %s: %w", key, err)
	}
	var vs []objstore.ObjectInfo
	for _, v := range res.Versions {
		if v.Key == key {
			vs = append(vs, v)
		}
	}
	switch n := len(vs); {
	case n < 2:
		return nil, nil
	case vs[0].VersionID == marker:
		return &vs[1], nil
	case vs[n-1].VersionID == marker && !res.IsTruncated:
		return &vs[n-2], nil
	}
	return nil, nil
}
