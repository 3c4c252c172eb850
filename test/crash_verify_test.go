package test

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// crashVerifier checks, after a kill, that the store holds what the
// history says it must, and folds committed in-flight writes into it.
type crashVerifier struct {
	st objstore.Store
	h  *crashHistory
	// op is the mutation in flight at the kill, nil if none.
	op *crashOp
	// landed is set once op was found committed.
	landed bool
	// full asks for every version to be read in full, not only new ones.
	full  bool
	stats *crashStats
}

// crashStats counts what the test checked, for its closing log line.
type crashStats struct {
	landed, notLanded int   // in-flight mutations found committed / not
	fullReads         int   // versions read and hashed in full
	bytesRead         int64 // bytes hashed
	uploadsChecked    int   // leftover uploads whose parts were read back
	partsChecked      int
}

// run performs every check of one round.
func (v *crashVerifier) run(ctx context.Context) error {
	exists, err := v.checkBucket(ctx)
	if err != nil || !exists {
		return err
	}
	if err := v.checkVersions(ctx); err != nil {
		return err
	}
	if err := v.checkCurrent(ctx); err != nil {
		return err
	}
	if err := v.checkUploads(ctx); err != nil {
		return err
	}
	if v.op != nil && !v.landed {
		v.stats.notLanded++
	}
	return nil
}

// checkBucket tells whether the bucket exists; once a child reported it
// ready, it must exist and be versioned.
func (v *crashVerifier) checkBucket(ctx context.Context) (bool, error) {
	_, err := v.st.HeadBucket(ctx, crashBucket)
	if errors.Is(err, objstore.ErrNoSuchBucket) && !v.h.ready {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bucket %s, created and reported ready: %w", crashBucket, err)
	}
	state, err := v.st.GetBucketVersioning(ctx, crashBucket)
	if err != nil {
		return false, fmt.Errorf("versioning of %s: %w", crashBucket, err)
	}
	if v.h.ready && state != objstore.VersioningEnabled {
		return false, fmt.Errorf("bucket %s versioning is %q after it was enabled", crashBucket, state)
	}
	return true, nil
}

// checkVersions compares the version listing with the history, key by key.
func (v *crashVerifier) checkVersions(ctx context.Context) error {
	listed, err := listAllVersions(ctx, v.st)
	if err != nil {
		return err
	}
	byKey, order, err := groupVersions(listed)
	if err != nil {
		return err
	}
	for _, key := range v.h.sortedKeys() {
		if _, ok := byKey[key]; !ok {
			order = append(order, key)
		}
	}
	for _, key := range order {
		if err := v.checkKey(ctx, key, byKey[key]); err != nil {
			return err
		}
	}
	return nil
}

// groupVersions splits a version listing by key and checks that keys come
// in byte order, each key's entries together.
func groupVersions(listed []objstore.ObjectInfo) (map[string][]objstore.ObjectInfo, []string, error) {
	byKey := map[string][]objstore.ObjectInfo{}
	var order []string
	for _, o := range listed {
		if n := len(order); n == 0 || order[n-1] != o.Key {
			if n > 0 && order[n-1] > o.Key || byKey[o.Key] != nil {
				return nil, nil, fmt.Errorf("version listing out of order: %q after %q", o.Key, order[n-1])
			}
			order = append(order, o.Key)
		}
		byKey[o.Key] = append(byKey[o.Key], o)
	}
	return byKey, order, nil
}

// checkKey checks one key's listed versions (newest first) against the
// history: the same versions and markers in the same order, plus at most
// one new one on top that the write in flight at the kill made.
func (v *crashVerifier) checkKey(ctx context.Context, key string, got []objstore.ObjectInfo) error {
	if len(got) > 0 && v.h.entry(key, got[0].VersionID) == nil {
		if err := v.adopt(ctx, key, got[0]); err != nil {
			return err
		}
	}
	want := v.h.keys[key]
	if err := sameVersions(key, got, want); err != nil {
		return err
	}
	for i, g := range got {
		w := want[len(want)-1-i]
		if w.marker {
			continue
		}
		if w.etag != "" && w.etag != g.ETag {
			return fmt.Errorf("version %s of %q: ETag %s, earlier %s", w.version, key, g.ETag, w.etag)
		}
		w.etag = g.ETag
		if err := v.checkContent(ctx, key, w); err != nil {
			return err
		}
	}
	return nil
}

// sameVersions checks that got (newest first) lists exactly want (oldest
// first) with the right flags.
func sameVersions(key string, got []objstore.ObjectInfo, want []*crashEntry) error {
	listed := map[string]bool{}
	for _, g := range got {
		listed[g.VersionID] = true
	}
	for _, w := range want {
		if !listed[w.version] {
			return fmt.Errorf("%s %s of %q (acked=%v) is lost: not listed any more", kind(w.marker), w.version, key, w.acked)
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("%q lists %d versions, want %d: %s", key, len(got), len(want), describeVersions(got))
	}
	for i, g := range got {
		w := want[len(want)-1-i]
		switch {
		case g.VersionID != w.version:
			return fmt.Errorf("%q lists versions out of order: %s", key, describeVersions(got))
		case g.DeleteMarker != w.marker:
			return fmt.Errorf("%s of %q listed as delete marker=%v", w.version, key, g.DeleteMarker)
		case g.IsLatest != (i == 0):
			return fmt.Errorf("%s of %q listed with IsLatest=%v at position %d", w.version, key, g.IsLatest, i)
		case !w.marker && g.Size != w.size:
			return fmt.Errorf("version %s of %q listed with %d bytes, written with %d", w.version, key, g.Size, w.size)
		}
	}
	return nil
}

func kind(marker bool) string {
	if marker {
		return "delete marker"
	}
	return "version"
}

func describeVersions(got []objstore.ObjectInfo) string {
	s := ""
	for _, g := range got {
		s += fmt.Sprintf("[%s marker=%v latest=%v %dB] ", g.VersionID, g.DeleteMarker, g.IsLatest, g.Size)
	}
	return s
}

// adopt accepts a version or marker the history lacks only when it is
// what the mutation in flight at the kill would have made, with exactly
// the announced bytes; it then joins the history.
func (v *crashVerifier) adopt(ctx context.Context, key string, g objstore.ObjectInfo) error {
	op := v.op
	if v.landed {
		op = nil // only one mutation can have been in flight
	}
	if g.DeleteMarker {
		if op == nil || op.ev.verb != verbDBegin || op.ev.key != key {
			return fmt.Errorf("delete marker %s of %q: no delete of it was acked or in flight (in flight: %+v)", g.VersionID, key, op)
		}
		v.h.keys[key] = append(v.h.keys[key], &crashEntry{version: g.VersionID, marker: true})
		v.landed = true
		v.stats.landed++
		return nil
	}
	sum, n, _, err := readObject(ctx, v.st, key, objstore.GetOptions{VersionID: g.VersionID})
	if err != nil {
		return fmt.Errorf("version %s of %q, never acked: %w", g.VersionID, key, err)
	}
	_, announced := v.h.announced[sum]
	if op == nil || op.ev.verb != verbBegin || op.ev.key != key {
		return fmt.Errorf("version %s of %q (%d bytes, sha256 %s, announced by a begin line: %v) was never acked and no write of it was in flight (in flight: %+v)",
			g.VersionID, key, n, sum, announced, op)
	}
	if sum != op.ev.sha || n != op.ev.size {
		return fmt.Errorf("version %s of %q from the write in flight holds %d bytes with sha256 %s, the write began with %d bytes, sha256 %s (torn or foreign; announced by some begin line: %v)",
			g.VersionID, key, n, sum, op.ev.size, op.ev.sha, announced)
	}
	v.h.keys[key] = append(v.h.keys[key], &crashEntry{version: g.VersionID, sha: sum, size: n, checked: true})
	v.landed = true
	v.stats.landed++
	v.count(n)
	return v.h.setUploadState(op.ev.uploadID, uploadCompleted)
}

func (v *crashVerifier) count(n int64) {
	v.stats.fullReads++
	v.stats.bytesRead += n
}

// checkContent reads a version in full when it was never read back or a
// full check is due; otherwise it reads its last byte, which proves its
// data is there at its full length.
func (v *crashVerifier) checkContent(ctx context.Context, key string, e *crashEntry) error {
	if !e.checked || v.full {
		sum, n, _, err := readObject(ctx, v.st, key, objstore.GetOptions{VersionID: e.version})
		if err != nil {
			return fmt.Errorf("version %s of %q (acked=%v): %w", e.version, key, e.acked, err)
		}
		if sum != e.sha || n != e.size {
			return fmt.Errorf("version %s of %q (acked=%v) reads %d bytes, sha256 %s; written %d bytes, sha256 %s",
				e.version, key, e.acked, n, sum, e.size, e.sha)
		}
		e.checked = true
		v.count(n)
		return nil
	}
	if e.size == 0 {
		info, err := v.st.HeadObject(ctx, crashBucket, key, objstore.GetOptions{VersionID: e.version})
		if err != nil || info.Size != 0 {
			return fmt.Errorf("head empty version %s of %q: size %d: %v", e.version, key, info.Size, err)
		}
		return nil
	}
	last := &objstore.Range{First: e.size - 1, Last: e.size - 1}
	_, n, info, err := readObject(ctx, v.st, key, objstore.GetOptions{VersionID: e.version, Range: last})
	if err != nil || n != 1 || info.Size != e.size {
		return fmt.Errorf("last byte of version %s of %q (%d bytes): read %d, size %d: %v", e.version, key, e.size, n, info.Size, err)
	}
	return nil
}
