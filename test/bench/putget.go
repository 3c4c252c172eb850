package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"

	"github.com/cairnfs/cairn/objstore"
)

// putGetSlots is how many objects each worker cycles over unless a suite
// bounds them: PUT overwrites them in turn and GET reads them in turn, on
// both sides.
const putGetSlots = 4

// readBufferSize is the buffer both sides read bodies and files with.
const readBufferSize = 1 << 20

// contenders are the two sides of a suite's PUT and GET cases, each
// holding the objects slotKey names.
type contenders interface {
	// puts returns each side's PUT of data.
	puts(data []byte) (a, b op)
	// gets returns each side's GET, reading through bufs[worker].
	gets(bufs [][]byte) (a, b op)
	// fillOne writes worker w's object s with data on each side where it
	// is missing or of another size.
	fillOne(ctx context.Context, w int, s int64, data []byte) error
	// verify runs before the first case of a size and fails unless each
	// side reads back what was written.
	verify(ctx context.Context, data []byte) error
	// check runs before GET is timed, once the objects are filled, and
	// fails unless they hold data.
	check(ctx context.Context, data []byte) error
}

// putGetPlan is how a suite runs its PUT and GET cases.
type putGetPlan struct {
	// names are the sides' names in errors, a first.
	names   [2]string
	sizes   []int64
	workers []int
	// slots is how many objects each worker cycles over in a case.
	slots func(size int64, workers int) int64
	// timing is how a case is timed.
	timing func(size int64, workers int) timing
	// goal is the ratio a case is held to, in percent; 0 for none.
	goal func(kind string, size int64) float64
}

// putGets runs a plan's cases against two contenders.
type putGets struct {
	e    *env
	plan putGetPlan
	c    contenders
	bufs [][]byte
}

// fixedSlots gives every case putGetSlots objects per worker.
func fixedSlots(int64, int) int64 { return putGetSlots }

// wanted tells whether -cases selects any of the plan's cases.
func (p putGetPlan) wanted(e *env) bool {
	for _, size := range p.sizes {
		if p.sizeWanted(e, size) {
			return true
		}
	}
	return false
}

// sizeWanted tells whether -cases selects any case of a size.
func (p putGetPlan) sizeWanted(e *env, size int64) bool {
	for _, w := range p.workers {
		if e.wants(caseName("PUT", size, w)) || e.wants(caseName("GET", size, w)) {
			return true
		}
	}
	return false
}

// run measures PUT and GET of each size with each worker count, and adds
// a row to t for each.
func (pg *putGets) run(ctx context.Context, t *table) error {
	for range maxOf(pg.plan.workers) {
		pg.bufs = append(pg.bufs, make([]byte, readBufferSize))
	}
	for _, size := range pg.plan.sizes {
		if !pg.plan.sizeWanted(pg.e, size) {
			continue
		}
		data := make([]byte, size)
		rand.NewChaCha8([32]byte{byte(size)}).Read(data)
		if err := pg.c.verify(ctx, data); err != nil {
			return fmt.Errorf("%s objects: %w", formatSize(size), err)
		}
		for _, w := range pg.plan.workers {
			if err := pg.put(ctx, t, data, w); err != nil {
				return err
			}
			if err := pg.get(ctx, t, data, w); err != nil {
				return err
			}
		}
	}
	return nil
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

func (pg *putGets) put(ctx context.Context, t *table, data []byte, workers int) error {
	name := caseName("PUT", int64(len(data)), workers)
	if !pg.e.wants(name) {
		return nil
	}
	pg.e.logf("%s", name)
	a, b := pg.c.puts(data)
	return pg.measureCase(ctx, t, "PUT", int64(len(data)), workers, a, b)
}

func (pg *putGets) get(ctx context.Context, t *table, data []byte, workers int) error {
	name := caseName("GET", int64(len(data)), workers)
	if !pg.e.wants(name) {
		return nil
	}
	pg.e.logf("%s", name)
	if err := pg.fill(ctx, data, workers); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	a, b := pg.c.gets(pg.bufs)
	return pg.measureCase(ctx, t, "GET", int64(len(data)), workers, a, b)
}

// measureCase times one case, each side cycling over its objects, and
// adds its row.
func (pg *putGets) measureCase(ctx context.Context, t *table, kind string, size int64, workers int, a, b op) error {
	name := caseName(kind, size, workers)
	slots := pg.plan.slots(size, workers)
	sa := &side{name: pg.plan.names[0], fn: cycling(workers, slots, a)}
	sb := &side{name: pg.plan.names[1], fn: cycling(workers, slots, b)}
	if err := compareSides(ctx, pg.plan.timing(size, workers), workers, sa, sb); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	t.rows = append(t.rows, row{name: name, cairn: sa.res, ceiling: sb.res, unit: "op", throughput: true, goal: pg.plan.goal(kind, size)})
	return nil
}

// fill writes every object the GET workers read that PUT did not leave
// at this size, on both sides, and checks that they hold what was written.
// All objects of one size hold the same bytes.
func (pg *putGets) fill(ctx context.Context, data []byte, workers int) error {
	slots := pg.plan.slots(int64(len(data)), workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for s := range slots {
				if errs[w] = pg.c.fillOne(ctx, w, s, data); errs[w] != nil {
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
	return pg.c.check(ctx, data)
}

// cycling makes fn walk each worker through its slots objects in turn
// across every run of the case, not from the first one at each run. A
// worker index is used by one goroutine at a time.
func cycling(workers int, slots int64, fn op) op {
	next := make([]int64, workers)
	return func(ctx context.Context, w int, _ int64) (int64, error) {
		i := next[w]
		next[w]++
		return fn(ctx, w, i%slots)
	}
}

// slotKey names worker w's object s.
func slotKey(w int, s int64) string {
	return fmt.Sprintf("w%03d-s%d", w, s)
}

// storePut is a PUT of data to st, to the slot the op names.
func storePut(st objstore.Store, data []byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		if err := putKey(ctx, st, slotKey(w, i), data); err != nil {
			return 0, err
		}
		return int64(len(data)), nil
	}
}

// putKey stores data as key in st.
func putKey(ctx context.Context, st objstore.Store, key string, data []byte) error {
	_, err := st.PutObject(ctx, benchBucket, key, bytes.NewReader(data), objstore.PutOptions{Size: int64(len(data))})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// storeGet is a GET from st of the slot the op names, its body read to
// the end through the worker's buffer.
func storeGet(st objstore.Store, bufs [][]byte) op {
	return func(ctx context.Context, w int, i int64) (int64, error) {
		obj, err := st.GetObject(ctx, benchBucket, slotKey(w, i), objstore.GetOptions{})
		if err != nil {
			return 0, fmt.Errorf("get %s: %w", slotKey(w, i), err)
		}
		defer obj.Body.Close()
		return drain(obj.Body, bufs[w])
	}
}

// readBack reads key from st and fails unless it holds data.
func readBack(ctx context.Context, st objstore.Store, key string, data []byte) error {
	obj, err := st.GetObject(ctx, benchBucket, key, objstore.GetOptions{})
	if err != nil {
		return fmt.Errorf("read back %s: %w", key, err)
	}
	defer obj.Body.Close()
	return sameBytes(obj.Body, key, data)
}

// sameBytes reads body, key's, to the end and fails unless it holds data.
func sameBytes(body io.Reader, key string, data []byte) error {
	got, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("read back %s: %w", key, err)
	}
	if !bytes.Equal(got, data) {
		return fmt.Errorf("read back %d bytes of %s that differ from the %d written", len(got), key, len(data))
	}
	return nil
}
