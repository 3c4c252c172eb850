package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// putGetSlots is how many objects each worker cycles over: PUT overwrites
// them in turn and GET reads them in turn, on both sides.
const putGetSlots = 4

// readBufferSize is the buffer both sides read bodies and files with.
const readBufferSize = 1 << 20

// putGet runs the PUT and GET cases: the engine in an unversioned bucket
// next to raw files under the same bench dir.
type putGet struct {
	e      *env
	st     *disk.Store
	rawDir string
	bufs   [][]byte
}

// runPutGet measures PUT and GET of each size with each worker count.
func runPutGet(ctx context.Context, e *env, t *table) error {
	if !anyPutGetWanted(e) {
		return nil
	}
	root := filepath.Join(e.cfg.dir, "putget")
	if err := os.RemoveAll(root); err != nil {
		return fmt.Errorf("clear %s: %w", root, err)
	}
	defer os.RemoveAll(root)
	st, err := openEngine(ctx, filepath.Join(root, "engine"))
	if err != nil {
		return err
	}
	defer st.Close()
	pg := &putGet{e: e, st: st, rawDir: filepath.Join(root, "raw")}
	if err := os.MkdirAll(pg.rawDir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", pg.rawDir, err)
	}
	for range maxOf(e.cfg.workers) {
		pg.bufs = append(pg.bufs, make([]byte, readBufferSize))
	}
	for _, size := range e.cfg.sizes {
		data := make([]byte, size)
		rand.NewChaCha8([32]byte{byte(size)}).Read(data)
		for _, w := range e.cfg.workers {
			if err := pg.put(ctx, t, data, w); err != nil {
				return err
			}
			if err := pg.get(ctx, t, data, w); err != nil {
				return err
			}
		}
	}
	t.notes = append(t.notes,
		"PUT ceiling: the same bytes written by the same workers to a temp file, fsync, rename over the target, fsync dir.",
		"GET ceiling: plain reads of those files. Nothing is dropped from the page cache: both sides read warm.",
		"Objects below the engine's inline threshold (64 KiB) live inside its KV: one WAL fsync, shared by concurrent",
		"  writers, instead of a file's two, which is why small PUTs can beat the per-file ceiling.",
		fmt.Sprintf("Each worker cycles over %d objects (unversioned bucket: a PUT replaces one).", putGetSlots))
	return nil
}

// anyPutGetWanted tells whether -cases selects any PUT or GET case.
func anyPutGetWanted(e *env) bool {
	for _, size := range e.cfg.sizes {
		for _, w := range e.cfg.workers {
			if e.wants(caseName("PUT", size, w)) || e.wants(caseName("GET", size, w)) {
				return true
			}
		}
	}
	return false
}

func caseName(kind string, size int64, workers int) string {
	return fmt.Sprintf("%s %s ×%d", kind, formatSize(size), workers)
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// goal is the ratio a case is held to: large PUT and GET 80%, small PUT 50%.
func goal(kind string, size int64) float64 {
	switch {
	case size >= 1<<20:
		return 80
	case kind == "PUT" && size <= 64<<10:
		return 50
	}
	return 0
}

func (pg *putGet) put(ctx context.Context, t *table, data []byte, workers int) error {
	name := caseName("PUT", int64(len(data)), workers)
	if !pg.e.wants(name) {
		return nil
	}
	pg.e.logf("%s", name)
	c, l, err := compare(ctx, pg.e, workers, cycling(workers, pg.enginePut(data)), cycling(workers, rawPut(pg.rawDir, data)))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	t.rows = append(t.rows, row{name: name, cairn: c, ceiling: l, unit: "op", throughput: true, goal: goal("PUT", int64(len(data)))})
	return nil
}

func (pg *putGet) get(ctx context.Context, t *table, data []byte, workers int) error {
	name := caseName("GET", int64(len(data)), workers)
	if !pg.e.wants(name) {
		return nil
	}
	pg.e.logf("%s", name)
	if err := pg.fill(ctx, data, workers); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	c, l, err := compare(ctx, pg.e, workers, cycling(workers, pg.engineGet()), cycling(workers, rawGet(pg.rawDir, pg.bufs)))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	t.rows = append(t.rows, row{name: name, cairn: c, ceiling: l, unit: "op", throughput: true, goal: goal("GET", int64(len(data)))})
	return nil
}

// fill writes every object the GET workers read that PUT did not leave
// at this size, on both sides, and checks that the engine gives back what
// it was given. All objects of one size hold the same bytes.
func (pg *putGet) fill(ctx context.Context, data []byte, workers int) error {
	size := int64(len(data))
	engine, raw := pg.enginePut(data), rawPut(pg.rawDir, data)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for s := range int64(putGetSlots) {
				if errs[w] = pg.fillOne(ctx, w, s, size, engine, raw); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("write objects to read: %w", err)
		}
	}
	return pg.check(ctx, data)
}

// fillOne writes worker w's object s on each side where it is missing or
// of another size.
func (pg *putGet) fillOne(ctx context.Context, w int, s, size int64, engine, raw op) error {
	info, err := pg.st.HeadObject(ctx, benchBucket, slotKey(w, s), objstore.GetOptions{})
	if err != nil || info.Size != size {
		if _, err := engine(ctx, w, s); err != nil {
			return err
		}
	}
	fi, err := os.Stat(filepath.Join(pg.rawDir, slotKey(w, s)))
	if err != nil || fi.Size() != size {
		if _, err := raw(ctx, w, s); err != nil {
			return err
		}
	}
	return nil
}

// check reads one object back and compares it with what was written.
func (pg *putGet) check(ctx context.Context, data []byte) error {
	obj, err := pg.st.GetObject(ctx, benchBucket, slotKey(0, 0), objstore.GetOptions{})
	if err != nil {
		return fmt.Errorf("read back %s: %w", slotKey(0, 0), err)
	}
	defer obj.Body.Close()
	got, err := io.ReadAll(obj.Body)
	if err != nil {
		return fmt.Errorf("read back %s: %w", slotKey(0, 0), err)
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("engine read back %d bytes of %s that differ from the %d written", len(got), slotKey(0, 0), len(data))
	}
	return nil
}

// cycling makes fn walk each worker through its objects in turn across
// every run of the case, not from the first one at each run. A worker
// index is used by one goroutine at a time.
func cycling(workers int, fn op) op {
	next := make([]int64, workers)
	return func(ctx context.Context, w int, _ int64) (int64, error) {
		i := next[w]
		next[w]++
		return fn(ctx, w, i)
	}
}

// slotKey names worker w's i-th object.
func slotKey(w int, i int64) string {
	return fmt.Sprintf("w%03d-s%d", w, i%putGetSlots)
}

func (pg *putGet) enginePut(data []byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		_, err := pg.st.PutObject(ctx, benchBucket, slotKey(w, i), bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data))})
		if err != nil {
			return 0, fmt.Errorf("put %s: %w", slotKey(w, i), err)
		}
		return int64(len(data)), nil
	}
}

func (pg *putGet) engineGet() op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		obj, err := pg.st.GetObject(ctx, benchBucket, slotKey(w, i), objstore.GetOptions{})
		if err != nil {
			return 0, fmt.Errorf("get %s: %w", slotKey(w, i), err)
		}
		defer obj.Body.Close()
		return drain(obj.Body, pg.bufs[w])
	}
}
