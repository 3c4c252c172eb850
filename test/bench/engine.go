package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// engineSuite measures the embedded engine in-process against the
// physical ceiling of the same disk.
type engineSuite struct{}

func (engineSuite) name() string { return "engine" }

func (engineSuite) about() string {
	return "objstore/disk in-process vs raw files and a bare pebble DB on the same disk"
}

func (engineSuite) run(ctx context.Context, e *env) (*table, error) {
	t := &table{title: "suite engine: objstore/disk in-process vs the same disk"}
	if err := runPutGet(ctx, e, t); err != nil {
		return nil, err
	}
	if err := runList(ctx, e, t); err != nil {
		return nil, err
	}
	return t, nil
}

// benchBucket is the bucket every engine case works in.
const benchBucket = "bench"

// openEngine opens (or creates) an engine in dir with the bench bucket.
func openEngine(ctx context.Context, dir string) (*disk.Store, error) {
	st, err := disk.Open(dir, disk.Options{Logger: warnLogger()})
	if err != nil {
		return nil, fmt.Errorf("open engine in %s (remove it if an older engine left it): %w", dir, err)
	}
	err = st.CreateBucket(ctx, benchBucket, objstore.CreateBucketOptions{})
	if err != nil && !errors.Is(err, objstore.ErrBucketAlreadyOwnedByYou) {
		st.Close()
		return nil, fmt.Errorf("create bucket %s: %w", benchBucket, err)
	}
	return st, nil
}

// warnLogger logs warnings and errors to stderr.
func warnLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// The engine suite's default object sizes and worker counts of PUT and GET.
var (
	engineSizes   = []int64{4 << 10, 16 << 20}
	engineWorkers = []int{1, 16}
)

// runPutGet measures PUT and GET of each size with each worker count: the
// engine in an unversioned bucket next to raw files under the same bench
// dir.
func runPutGet(ctx context.Context, e *env, t *table) error {
	plan := putGetPlan{
		names:   [2]string{"cairn", "ceiling"},
		sizes:   e.sizes(engineSizes),
		workers: e.workers(engineWorkers),
		slots:   fixedSlots,
		timing:  func(int64, int) timing { return e.timing() },
		goal:    goal,
	}
	if !plan.wanted(e) {
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
	c := &engineVsRaw{st: st, rawDir: filepath.Join(root, "raw")}
	if err := os.MkdirAll(c.rawDir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", c.rawDir, err)
	}
	pg := &putGets{e: e, plan: plan, c: c}
	if err := pg.run(ctx, t); err != nil {
		return err
	}
	t.notes = append(t.notes,
		"PUT ceiling: the same bytes written by the same workers to a temp file, fsync, rename over the target, fsync dir.",
		"GET ceiling: plain reads of those files. Nothing is dropped from the page cache: both sides read warm.",
		"Objects below the engine's inline threshold (64 KiB) live inside its KV: one WAL fsync, shared by concurrent",
		"  writers, instead of a file's two, which is why small PUTs can beat the per-file ceiling.",
		fmt.Sprintf("Each worker cycles over %d objects (unversioned bucket: a PUT replaces one).", putGetSlots))
	return nil
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

// engineVsRaw are the engine suite's contenders: the engine, and raw
// files in rawDir.
type engineVsRaw struct {
	st     *disk.Store
	rawDir string
}

func (c *engineVsRaw) puts(data []byte) (op, op) {
	return storePut(c.st, data), rawPut(c.rawDir, data)
}

func (c *engineVsRaw) gets(bufs [][]byte) (op, op) {
	return storeGet(c.st, bufs), rawGet(c.rawDir, bufs)
}

func (c *engineVsRaw) fillOne(ctx context.Context, w int, s int64, data []byte) error {
	size := int64(len(data))
	info, err := c.st.HeadObject(ctx, benchBucket, slotKey(w, s), objstore.GetOptions{})
	if err != nil || info.Size != size {
		if _, err := storePut(c.st, data)(ctx, w, s); err != nil {
			return err
		}
	}
	fi, err := os.Stat(filepath.Join(c.rawDir, slotKey(w, s)))
	if err != nil || fi.Size() != size {
		if _, err := rawPut(c.rawDir, data)(ctx, w, s); err != nil {
			return err
		}
	}
	return nil
}

func (c *engineVsRaw) verify(context.Context, []byte) error { return nil }

// check reads one engine object back; the raw files are the ceiling's
// own bytes.
func (c *engineVsRaw) check(ctx context.Context, data []byte) error {
	if err := readBack(ctx, c.st, slotKey(0, 0), data); err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	return nil
}
