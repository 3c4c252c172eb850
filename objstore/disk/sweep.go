package disk

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// startSweep removes orphaned data files in the background: files that no
// version or part references, older than the opening of the store.
func (s *Store) startSweep(openTime time.Time) {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopSweep = cancel
	s.sweepDone = make(chan struct{})
	go func() {
		defer close(s.sweepDone)
		n, err := s.sweep(ctx, openTime)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("sweep orphaned data files", "dir", s.dir, "err", err)
		case n > 0:
			s.log.Info("removed orphaned data files", "dir", s.dir, "count", n)
		}
	}()
}

// sweep runs one sweep and returns how many files it removed.
func (s *Store) sweep(ctx context.Context, cutoff time.Time) (int, error) {
	s.files.beginSweep()
	defer s.files.endSweep()
	orphans, err := s.oldFiles(ctx, cutoff)
	if err != nil || len(orphans) == 0 {
		return 0, err
	}
	if err := s.dropReferenced(ctx, orphans); err != nil {
		return 0, err
	}
	n := 0
	for id := range orphans {
		if s.files.sweepable(id) {
			s.files.release(id)
			n++
		}
	}
	return n, nil
}

// oldFiles lists the data files last modified before cutoff.
func (s *Store) oldFiles(ctx context.Context, cutoff time.Time) (map[fileID]struct{}, error) {
	old := map[fileID]struct{}{}
	for b := range 256 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dir := s.layout.fanout(byte(b))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", dir, err)
		}
		for _, e := range entries {
			id, ok := parseFileID(e.Name())
			if !ok {
				continue
			}
			if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
				old[id] = struct{}{}
			}
		}
	}
	return old, nil
}

// dropReferenced deletes from ids every file a version or a part
// references.
func (s *Store) dropReferenced(ctx context.Context, ids map[fileID]struct{}) error {
	leave, err := s.enter()
	if err != nil {
		return err
	}
	defer leave()
	snap := s.db.NewSnapshot()
	defer snap.Close()
	if err := scanFamily(ctx, snap, prefixVersion, func(_, v []byte) error {
		r, err := decodeVersion(v)
		if err != nil {
			return err
		}
		for _, seg := range r.Segments {
			delete(ids, seg.ID)
		}
		return nil
	}); err != nil {
		return err
	}
	return scanFamily(ctx, snap, prefixPart, func(_, v []byte) error {
		r, err := decodePart(v)
		if err != nil {
			return err
		}
		delete(ids, r.ID)
		return nil
	})
}

// scanFamily calls fn with every key of a family and its value.
func scanFamily(ctx context.Context, r pebble.Reader, family byte, fn func(k, v []byte) error) error {
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: []byte{family}, UpperBound: []byte{family + 1}})
	if err != nil {
		return fmt.Errorf("scan %c records: %w", family, err)
	}
	defer it.Close()
	for ok, n := it.First(), 0; ok; ok, n = it.Next(), n+1 {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return fmt.Errorf("scan %c records: %w", family, err)
		}
		if err := fn(it.Key(), v); err != nil {
			return fmt.Errorf("scan %c records at %q: %w", family, it.Key(), err)
		}
	}
	return it.Error()
}
