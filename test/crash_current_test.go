package test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cairnfs/cairn/objstore"
)

// checkCurrent checks what a plain reader sees: the object listing and a
// GET without version ID show each key's newest history entry (the last
// acked write or delete, or the in-flight one found committed).
func (v *crashVerifier) checkCurrent(ctx context.Context) error {
	objs, err := listAllObjects(ctx, v.st)
	if err != nil {
		return err
	}
	listed := map[string]objstore.ObjectInfo{}
	for i, o := range objs {
		if i > 0 && objs[i-1].Key >= o.Key {
			return fmt.Errorf("object listing out of order: %q after %q", o.Key, objs[i-1].Key)
		}
		listed[o.Key] = o
	}
	for _, key := range v.h.sortedKeys() {
		o, ok := listed[key]
		delete(listed, key)
		if err := v.checkCurrentKey(ctx, key, o, ok); err != nil {
			return err
		}
	}
	if len(listed) > 0 {
		return fmt.Errorf("object listing shows %q, which no acked or in-flight write created", slices.Sorted(maps.Keys(listed)))
	}
	return nil
}

// checkCurrentKey checks one key's listing entry o (ok tells whether it is
// listed) and reads its current version in full.
func (v *crashVerifier) checkCurrentKey(ctx context.Context, key string, o objstore.ObjectInfo, ok bool) error {
	e := v.h.latest(key)
	if e.marker {
		if ok {
			return fmt.Errorf("object listing shows %q, whose newest entry is delete marker %s", key, e.version)
		}
		_, err := v.st.HeadObject(ctx, crashBucket, key, objstore.GetOptions{})
		if !errors.Is(err, objstore.ErrNoSuchKey) {
			return fmt.Errorf("head %q behind delete marker %s: want NoSuchKey, got %v", key, e.version, err)
		}
		return nil
	}
	if !ok {
		return fmt.Errorf("object listing lacks %q, whose current version is %s", key, e.version)
	}
	if o.Size != e.size || o.ETag != e.etag {
		return fmt.Errorf("object listing shows %q with %d bytes, ETag %s; current version %s has %d bytes, ETag %s",
			key, o.Size, o.ETag, e.version, e.size, e.etag)
	}
	sum, n, info, err := readObject(ctx, v.st, key, objstore.GetOptions{})
	if err != nil {
		return fmt.Errorf("current version of %q: %w", key, err)
	}
	v.count(n)
	if info.VersionID != e.version || sum != e.sha || n != e.size {
		return fmt.Errorf("get %q serves version %s (%d bytes, sha256 %s); want %s (%d bytes, sha256 %s)",
			key, info.VersionID, n, sum, e.version, e.size, e.sha)
	}
	return nil
}
