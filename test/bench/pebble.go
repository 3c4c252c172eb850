package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/cockroachdb/pebble/v2"
)

// The bare pebble DB of the LIST ceiling: the same keys, each with a
// value the size of a small metadata record, under the same block cache
// size as the engine's.
const (
	ceilingValueSize = 100
	ceilingCacheSize = 64 << 20
	ceilingBatch     = 10_000
)

// openCeilingDB opens the bare pebble DB in dir.
func openCeilingDB(dir string) (*pebble.DB, error) {
	cache := pebble.NewCache(ceilingCacheSize)
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{Cache: cache, Logger: quietLogger{}})
	if err != nil {
		return nil, fmt.Errorf("open pebble %s: %w", dir, err)
	}
	return db, nil
}

// quietLogger drops pebble's chatter and keeps its errors.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any) {}

func (quietLogger) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pebble: "+format+"\n", args...)
}

// Fatalf reports an error pebble cannot go on after, and exits.
func (quietLogger) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pebble: fatal: "+format+"\n", args...)
	os.Exit(1)
}

// populateCeiling writes keys keys to a fresh pebble DB in dir in large
// unsynced batches, then flushes and compacts it: the tidiest LSM the keys
// can have.
func populateCeiling(ctx context.Context, dir string, keys int) error {
	db, err := openCeilingDB(dir)
	if err != nil {
		return err
	}
	value := bytes.Repeat([]byte{'v'}, ceilingValueSize)
	for start := 0; start < keys; start += ceilingBatch {
		b := db.NewBatch()
		for i := start; i < min(start+ceilingBatch, keys); i++ {
			b.Set([]byte(listKey(i)), value, nil)
		}
		if err := b.Commit(pebble.NoSync); err != nil {
			db.Close()
			return fmt.Errorf("commit keys from %d: %w", start, err)
		}
	}
	err = db.Flush()
	if err == nil {
		err = db.Compact(ctx, []byte{0}, []byte{0xff}, true)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("flush and compact %s: %w", dir, err)
	}
	return nil
}

// scanPage is the LIST ceiling: one page of at most limit entries read in
// order from db, starting after startAfter. With delim, a key holding a
// '/' yields its prefix up to the '/' and one seek jumps past every other
// key under it, as an ideal delimiter listing does. emit, when not nil,
// receives each entry; the count is returned.
func scanPage(db *pebble.DB, startAfter string, delim bool, limit int, emit func(string)) (int, error) {
	it, err := db.NewIter(nil)
	if err != nil {
		return 0, fmt.Errorf("new iterator: %w", err)
	}
	seek := make([]byte, 0, 64)
	var ok bool
	if startAfter == "" {
		ok = it.First()
	} else {
		ok = it.SeekGE(append(append(seek, startAfter...), 0))
	}
	n := 0
	for ; ok && n < limit; n++ {
		k := it.Key()
		if j := bytes.IndexByte(k, '/'); delim && j >= 0 {
			if emit != nil {
				emit(string(k[:j+1]))
			}
			seek = append(append(seek[:0], k[:j]...), '/'+1)
			ok = it.SeekGE(seek)
			continue
		}
		if _, err := it.ValueAndErr(); err != nil {
			it.Close()
			return n, fmt.Errorf("value of %q: %w", k, err)
		}
		if emit != nil {
			emit(string(k))
		}
		ok = it.Next()
	}
	if err := it.Close(); err != nil {
		return n, fmt.Errorf("scan: %w", err)
	}
	return n, nil
}
