package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// listLayout names how LIST keys are made; a marker of another layout is
// not reused.
const listLayout = "d%05d/f%03d"

// listKey is the i-th key of the LIST bucket in byte order: 500 keys in
// each "directory".
func listKey(i int) string {
	return fmt.Sprintf(listLayout, i/listKeysPerDir, i%listKeysPerDir)
}

// populated is the marker a finished population leaves next to its data.
type populated struct {
	Keys    int           `json:"keys"`
	Layout  string        `json:"layout"`
	Workers int           `json:"workers"`
	Took    time.Duration `json:"took"`
	At      time.Time     `json:"at"`
}

// readMarker returns the marker at path if it describes keys in the
// current layout.
func readMarker(path string, keys int) (populated, bool) {
	var m populated
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	return m, m.Keys == keys && m.Layout == listLayout
}

func writeMarker(path string, m populated) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode marker: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write marker %s: %w", path, err)
	}
	return nil
}

// ensurePopulated makes sure dir holds a store of e.cfg.keys keys, filled
// by fill unless a marker says an earlier run did it. It returns the
// marker, whose Took is the population time.
func ensurePopulated(e *env, dir, what string, fill func(dir string) error) (populated, bool, error) {
	marker := dir + ".populated"
	if m, ok := readMarker(marker, e.cfg.keys); ok {
		if _, err := os.Stat(dir); err == nil {
			return m, true, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return populated{}, false, fmt.Errorf("clear %s: %w", dir, err)
	}
	os.Remove(marker)
	e.logf("populating %s with %d keys in %s (once; later runs reuse it)", what, e.cfg.keys, dir)
	start := time.Now()
	if err := fill(dir); err != nil {
		return populated{}, false, fmt.Errorf("populate %s: %w", what, err)
	}
	m := populated{Keys: e.cfg.keys, Layout: listLayout, Workers: e.cfg.populateWorkers, Took: time.Since(start), At: time.Now()}
	e.logf("populated %s in %v", what, m.Took.Round(time.Second))
	return m, false, writeMarker(marker, m)
}

// populateEngine fills the LIST bucket of a fresh engine in dir with empty
// objects, many writers at once, as clients would.
func populateEngine(ctx context.Context, e *env, dir string) error {
	st, err := openEngine(ctx, dir)
	if err != nil {
		return err
	}
	var next, done atomic.Int64
	stop := e.every(5*time.Second, func() {
		e.logf("  %d of %d keys", done.Load(), e.cfg.keys)
	})
	defer stop()
	errs := make([]error, e.cfg.populateWorkers)
	var wg sync.WaitGroup
	for w := range e.cfg.populateWorkers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < e.cfg.keys && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				_, err := st.PutObject(ctx, benchBucket, listKey(i), bytes.NewReader(nil), objstore.PutOptions{Size: 0})
				if err != nil {
					errs[w] = fmt.Errorf("put %s: %w", listKey(i), err)
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	for _, err := range append(errs, ctx.Err()) {
		if err != nil {
			st.Close()
			return err
		}
	}
	return st.Close()
}

// every runs fn every d until the returned stop is called.
func (e *env) every(d time.Duration, fn func()) (stop func()) {
	done := make(chan struct{})
	t := time.NewTicker(d)
	go func() {
		for {
			select {
			case <-t.C:
				fn()
			case <-done:
				return
			}
		}
	}()
	return func() { t.Stop(); close(done) }
}

// listRoot is where the LIST stores of a key count live.
func listRoot(e *env) string {
	return filepath.Join(e.cfg.dir, fmt.Sprintf("list-%d", e.cfg.keys))
}
