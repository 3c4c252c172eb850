package history

import (
	"context"
	"iter"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// KeyState is one key's state at a point in time next to its state now.
type KeyState struct {
	Key string
	// Then is the version that was current at the time asked for; nil
	// when the key did not exist then (no version yet, or a delete marker).
	Then *objstore.ObjectInfo
	// Now is the current version; nil when the key does not exist now.
	Now *objstore.ObjectInfo
	// seenLatest tells whether the key's latest entry was seen.
	seenLatest bool
}

// Changed tells whether restoring Then would change the key: it did not
// exist then but does now, or the other way round, or another version
// is current now.
func (k KeyState) Changed() bool {
	switch {
	case k.Then == nil || k.Now == nil:
		return (k.Then == nil) != (k.Now == nil)
	}
	return k.Then.VersionID != k.Now.VersionID
}

// note records v, the next entry of the key in listing order (newest
// first), as the current one if it is the first.
func (k *KeyState) note(v objstore.ObjectInfo) {
	if !k.seenLatest {
		k.seenLatest = true
		k.Now = live(v)
	}
}

// live returns v, or nil for a delete marker.
func live(v objstore.ObjectInfo) *objstore.ObjectInfo {
	if v.DeleteMarker {
		return nil
	}
	return &v
}

// StateAt yields, for each key under prefix in byte order, the version
// that was current at at (the newest one last modified at or before it)
// and the one current now. Keys are yielded whether or not they existed
// at at; one key's versions are never held in memory together.
func StateAt(ctx context.Context, st objstore.ObjectStore, bucket, prefix string, at time.Time) iter.Seq2[KeyState, error] {
	return stateAt(VersionsUnder(ctx, st, bucket, prefix), at)
}

// FileStateAt returns the state at at of key alone.
func FileStateAt(ctx context.Context, st objstore.ObjectStore, bucket, key string, at time.Time) (KeyState, error) {
	for ks, err := range stateAt(Versions(ctx, st, bucket, key), at) {
		return ks, err
	}
	return KeyState{Key: key}, nil
}

// stateAt folds a listing of versions into one KeyState per key.
func stateAt(versions iter.Seq2[objstore.ObjectInfo, error], at time.Time) iter.Seq2[KeyState, error] {
	return func(yield func(KeyState, error) bool) {
		var (
			cur     KeyState
			decided bool // cur.Then is final: an entry at or before at was seen
		)
		for v, err := range versions {
			if err != nil {
				yield(KeyState{}, err)
				return
			}
			if cur.Key != v.Key {
				if cur.seenLatest && !yield(cur, nil) {
					return
				}
				cur, decided = KeyState{Key: v.Key}, false
			}
			cur.note(v)
			if !decided && !v.LastModified.After(at) {
				cur.Then, decided = live(v), true
			}
		}
		if cur.seenLatest {
			yield(cur, nil)
		}
	}
}
