package history

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// ErrNoSuchVersion reports a version ID that the key never had.
var ErrNoSuchVersion = errors.New("no such version")

// VersionsUnder yields every version and delete marker of every key under
// prefix, keys in byte order and each key's versions newest first, page
// by page, ending with an error if listing fails.
func VersionsUnder(ctx context.Context, st objstore.ObjectStore, bucket, prefix string) iter.Seq2[objstore.ObjectInfo, error] {
	return func(yield func(objstore.ObjectInfo, error) bool) {
		opts := objstore.ListVersionsOptions{Prefix: prefix}
		for page, err := range transfer.VersionPages(ctx, st, bucket, opts) {
			if err != nil {
				yield(objstore.ObjectInfo{}, err)
				return
			}
			for _, v := range page.Versions {
				if !yield(v, nil) {
					return
				}
			}
		}
	}
}

// Versions yields the versions and delete markers of key alone, newest
// first. Keys that merely start with key ("a.txt.bak" for "a.txt") are
// not its versions: listing stops at the first of them.
func Versions(ctx context.Context, st objstore.ObjectStore, bucket, key string) iter.Seq2[objstore.ObjectInfo, error] {
	return func(yield func(objstore.ObjectInfo, error) bool) {
		for v, err := range VersionsUnder(ctx, st, bucket, key) {
			if err != nil {
				yield(v, err)
				return
			}
			if v.Key != key {
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// HasVersions tells whether key has any version or delete marker, which
// makes it a file rather than a folder of keys below it.
func HasVersions(ctx context.Context, st objstore.ObjectStore, bucket, key string) (bool, error) {
	if key == "" {
		return false, nil
	}
	for _, err := range Versions(ctx, st, bucket, key) {
		return err == nil, err
	}
	return false, nil
}

// VersionState returns key's state with versionID as the one restored:
// Then is that version (nil when it is a delete marker) and Now the
// current one. It fails with ErrNoSuchVersion when key has no such
// version.
func VersionState(ctx context.Context, st objstore.ObjectStore, bucket, key, versionID string) (KeyState, error) {
	ks := KeyState{Key: key}
	found := false
	for v, err := range Versions(ctx, st, bucket, key) {
		if err != nil {
			return ks, err
		}
		ks.note(v)
		if v.VersionID == versionID {
			found = true
			ks.Then = live(v)
			break
		}
	}
	if !found {
		return ks, fmt.Errorf("%s/%s version %s: %w", bucket, key, versionID, ErrNoSuchVersion)
	}
	return ks, nil
}
