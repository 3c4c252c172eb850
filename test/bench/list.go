package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cockroachdb/pebble/v2"
)

// listCase is one LIST page to measure.
type listCase struct {
	name       string
	startAfter string
	delimiter  string
}

// listCases are a page from the start and one from the middle (via
// StartAfter), each without and with the delimiter "/".
func listCases(keys int) []listCase {
	mid := listKey(keys/2 - 1)
	n := countName(keys)
	return []listCase{
		{name: "LIST 1000 of " + n + ", from start"},
		{name: "LIST 1000 of " + n + ", from middle", startAfter: mid},
		{name: "LIST 1000 of " + n + ", delimiter, from start", delimiter: "/"},
		{name: "LIST 1000 of " + n + ", delimiter, from middle", startAfter: mid, delimiter: "/"},
	}
}

func countName(n int) string {
	switch {
	case n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n%1_000 == 0:
		return fmt.Sprintf("%dk", n/1_000)
	}
	return fmt.Sprint(n)
}

// runList measures LIST pages of the million-key bucket against pebble.
func runList(ctx context.Context, e *env, t *table) error {
	var cases []listCase
	for _, c := range listCases(e.cfg.keys) {
		if e.wants(c.name) {
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		return nil
	}
	st, db, notes, err := openListStores(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	defer db.Close()
	for _, c := range cases {
		r, err := measureList(ctx, e, st, db, c)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		t.rows = append(t.rows, r)
	}
	t.notes = append(t.notes, notes...)
	return nil
}

// openListStores populates (or reuses) the engine bucket and its pebble
// twin and opens both. The notes tell how they were made.
func openListStores(ctx context.Context, e *env) (*disk.Store, *pebble.DB, []string, error) {
	root := listRoot(e)
	engineDir, pebbleDir := filepath.Join(root, "engine"), filepath.Join(root, "pebble")
	m, reused, err := ensurePopulated(e, engineDir, "the LIST bucket", func(dir string) error {
		return populateEngine(ctx, e, dir)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if _, _, err := ensurePopulated(e, pebbleDir, "the bare pebble DB", func(dir string) error {
		return populateCeiling(ctx, dir, e.cfg.keys)
	}); err != nil {
		return nil, nil, nil, err
	}
	st, err := openEngine(ctx, engineDir)
	if err != nil {
		return nil, nil, nil, err
	}
	db, err := openCeilingDB(pebbleDir)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	how := "this run"
	if reused {
		how = "a run at " + m.At.Format(time.DateTime) + ", reused"
	}
	notes := []string{
		fmt.Sprintf("LIST bucket: %d empty objects %s (500 per directory), populated by %d concurrent PUTs in %v (%s, %.0f PUT/s).",
			m.Keys, fmt.Sprintf(listLayout, 0, 0), m.Workers, m.Took.Round(time.Second), how, float64(m.Keys)/m.Took.Seconds()),
		"LIST ceiling: one ordered scan per page of a bare pebble DB holding the same keys (100-byte values, 64 MiB cache, compacted);",
		"  with the delimiter it emits each directory once and seeks past its keys. One client; pages read warm.",
	}
	return st, db, notes, nil
}

// measureList checks that the engine and the ceiling return the same
// page, then measures both.
func measureList(ctx context.Context, e *env, st *disk.Store, db *pebble.DB, c listCase) (row, error) {
	e.logf("%s", c.name)
	want, err := ceilingEntries(db, c)
	if err != nil {
		return row{}, err
	}
	got, err := engineEntries(ctx, st, c)
	if err != nil {
		return row{}, err
	}
	if !slices.Equal(got, want) {
		return row{}, fmt.Errorf("engine lists %d entries %q…, a plain scan finds %d %q…", len(got), head(got), len(want), head(want))
	}
	cairn := func(ctx context.Context, _ int, _ int64) (int64, error) {
		res, err := st.ListObjects(ctx, benchBucket, listOptions(c))
		if err == nil && len(res.Objects)+len(res.CommonPrefixes) != len(want) {
			err = fmt.Errorf("page of %d entries, want %d", len(res.Objects)+len(res.CommonPrefixes), len(want))
		}
		return 0, err
	}
	ceiling := func(context.Context, int, int64) (int64, error) {
		_, err := scanPage(db, c.startAfter, c.delimiter != "", objstore.MaxListKeys, nil)
		return 0, err
	}
	cr, lr, err := compare(ctx, e, 1, cairn, ceiling)
	return row{name: c.name, cairn: cr, ceiling: lr, unit: "page"}, err
}

func listOptions(c listCase) objstore.ListOptions {
	return objstore.ListOptions{StartAfter: c.startAfter, Delimiter: c.delimiter, MaxKeys: objstore.MaxListKeys}
}

// engineEntries returns the page's keys and common prefixes in order.
func engineEntries(ctx context.Context, st *disk.Store, c listCase) ([]string, error) {
	res, err := st.ListObjects(ctx, benchBucket, listOptions(c))
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	out := slices.Clone(res.CommonPrefixes)
	for _, o := range res.Objects {
		out = append(out, o.Key)
	}
	slices.Sort(out)
	return out, nil
}

func ceilingEntries(db *pebble.DB, c listCase) ([]string, error) {
	var out []string
	_, err := scanPage(db, c.startAfter, c.delimiter != "", objstore.MaxListKeys, func(s string) { out = append(out, s) })
	return out, err
}

func head(s []string) []string {
	return s[:min(3, len(s))]
}
