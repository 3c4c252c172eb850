package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cairnfs/cairn/objstore"
)

// writers is the number of goroutines racing on one key.
const writers = 64

func concurrencyCases() []testCase {
	return []testCase{
		{"SameKeyLargeVersioned", func(e *env) { testConcurrentSameKey(e, 256<<10, true) }},
		{"SameKeyLargeUnversioned", func(e *env) { testConcurrentSameKey(e, 256<<10, false) }},
		{"SameKeySmallVersioned", func(e *env) { testConcurrentSameKey(e, 4<<10, true) }},
		{"SameKeySmallUnversioned", func(e *env) { testConcurrentSameKey(e, 4<<10, false) }},
		{"DistinctKeys", testConcurrentDistinctKeys},
		{"ParallelParts", testConcurrentParts},
	}
}

// writerBody is writer i's whole body: size bytes of the writer's id.
func writerBody(i, size int) []byte { return bytes.Repeat([]byte{byte(i + 1)}, size) }

// checkWhole reports whether data is exactly one writer's full body, and
// whose.
func checkWhole(data []byte, size int) (int, error) {
	if len(data) != size {
		return 0, fmt.Errorf("read %d bytes, every body has %d", len(data), size)
	}
	id := data[0]
	if id == 0 || int(id) > writers {
		return 0, fmt.Errorf("read a body of byte %d, written by no one", id)
	}
	if i := bytes.IndexFunc(data, func(r rune) bool { return r != rune(id) }); i >= 0 {
		return 0, fmt.Errorf("torn read: writer %d's body holds other bytes from offset %d", id, i)
	}
	return int(id) - 1, nil
}

// testConcurrentSameKey races writers on one key while readers loop GET:
// every read must be one writer's whole body with that body's ETag.
func testConcurrentSameKey(e *env, size int, versioned bool) {
	b := e.bucket()
	if versioned {
		e.setVersioning(b, objstore.VersioningEnabled)
	}
	var done atomic.Bool
	var readers sync.WaitGroup
	for range 3 {
		readers.Go(func() { e.readLoop(b, size, &done) })
	}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			body := writerBody(i, size)
			opts := objstore.PutOptions{Size: int64(size)}
			if _, err := e.s.PutObject(e.ctx, b, "hot", bytes.NewReader(body), opts); err != nil {
				e.t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	done.Store(true)
	readers.Wait()
	if e.t.Failed() {
		return
	}
	data, obj := e.get(b, "hot", objstore.GetOptions{})
	if _, err := checkWhole(data, size); err != nil {
		e.t.Fatalf("final object: %v", err)
	}
	if obj.Info.ETag != md5hex(data) {
		e.t.Fatalf("final object: ETag %q does not match its body", obj.Info.ETag)
	}
	e.checkRaceVersions(b, size, versioned, obj.Info.ETag)
}

// readLoop reads the hot key until done (at most 1000 times), checking
// every body whole.
func (e *env) readLoop(b string, size int, done *atomic.Bool) {
	for n := 0; !done.Load() && n < 1000; n++ {
		data, obj, err := e.tryGet(b, "hot", objstore.GetOptions{})
		if errors.Is(err, objstore.ErrNoSuchKey) {
			continue // no writer has finished yet
		}
		if err != nil {
			e.t.Errorf("reader: %v", err)
			return
		}
		if _, err := checkWhole(data, size); err != nil {
			e.t.Errorf("reader: %v", err)
			return
		}
		if obj.Info.ETag != md5hex(data) || obj.Info.Size != int64(size) {
			e.t.Errorf("reader: body of writer %d came with ETag %q size %d", data[0], obj.Info.ETag, obj.Info.Size)
			return
		}
	}
}

// checkRaceVersions checks the versions the writers left: one per writer
// on a versioned bucket, one null version otherwise, the latest current.
func (e *env) checkRaceVersions(b string, size int, versioned bool, current string) {
	e.t.Helper()
	vs := e.allVersions(b)
	want := 1
	if versioned {
		want = writers
	}
	if len(vs) != want {
		e.t.Fatalf("%d versions after %d writers, want %d", len(vs), writers, want)
	}
	etags := map[string]bool{}
	for i, v := range vs {
		if v.IsLatest != (i == 0) || v.Size != int64(size) {
			e.t.Fatalf("version %d: IsLatest %v Size %d", i, v.IsLatest, v.Size)
		}
		etags[v.ETag] = true
	}
	if len(etags) != want {
		e.t.Fatalf("%d distinct ETags among %d versions", len(etags), want)
	}
	if vs[0].ETag != current {
		e.t.Fatalf("latest version's ETag %q, the current object's %q", vs[0].ETag, current)
	}
}

func testConcurrentDistinctKeys(e *env) {
	b := e.bucket()
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = fmt.Sprintf("dir%d/key-%03d", i%4, i)
	}
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() {
			body := writerBody(i%writers, 1000+i)
			if _, err := e.s.PutObject(e.ctx, b, k, bytes.NewReader(body), objstore.PutOptions{Size: int64(len(body))}); err != nil {
				e.t.Errorf("put %s: %v", k, err)
			}
		})
	}
	wg.Wait()
	if e.t.Failed() {
		return
	}
	e.expectList(b, keys, objstore.ListOptions{})
	e.expectList(b, keys, objstore.ListOptions{Delimiter: "/"})
	for i, k := range keys {
		if h := e.head(b, k, objstore.GetOptions{}); h.Size != int64(1000+i) {
			e.t.Fatalf("%s: size %d, want %d", k, h.Size, 1000+i)
		}
	}
}

func testConcurrentParts(e *env) {
	b := e.bucket()
	parts := [][]byte{fill(partSize, 1), fill(partSize, 2), fill(partSize, 3), fill(777, 4)}
	id := e.createUpload(b, "mp", objstore.PutOptions{})
	infos := make([]objstore.PartInfo, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			info, err := e.tryUploadPart(b, "mp", id, i+1, p, objstore.PartOptions{})
			if err != nil {
				e.t.Errorf("part %d: %v", i+1, err)
			}
			infos[i] = info
		})
	}
	wg.Wait()
	if e.t.Failed() {
		return
	}
	info := e.complete(b, "mp", id, completed(infos...))
	if want := multipartETag(parts...); info.ETag != want {
		e.t.Fatalf("ETag %q, want %q", info.ETag, want)
	}
	e.expectBody(b, "mp", bytes.Join(parts, nil))
}
