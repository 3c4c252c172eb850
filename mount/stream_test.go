package mount

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// writeInPieces writes data to a new file of the mount in order, in
// writes of the given sizes taken in turn, and checks, before closing
// it, that the file reads back whole through the mount.
func writeInPieces(t *testing.T, path string, data []byte, sizes ...int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for off, i := 0, 0; off < len(data); i++ {
		n := min(sizes[i%len(sizes)], len(data)-off)
		if _, err := f.Write(data[off : off+n]); err != nil {
			t.Fatalf("write %d bytes at %d: %v", n, off, err)
		}
		off += n
	}
	got := make([]byte, len(data))
	if _, err := f.ReadAt(got, 0); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back while open: %v, equal %v", err, bytes.Equal(got, data))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// noise returns n bytes of deterministic noise.
func noise(n int, seed int64) []byte {
	p := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(p)
	return p
}

// TestStreamedWritesOfAnySize writes large new files in order, in writes
// whose sizes straddle part boundaries and are not block multiples,
// with a part size that suits O_DIRECT and one that does not: each file
// reads back whole while open and is stored whole, in its parts.
func TestStreamedWritesOfAnySize(t *testing.T) {
	for _, c := range []struct {
		name     string
		partSize int64
		sizes    []int
	}{
		{"aligned parts, 1MiB writes", 5 << 20, []int{1 << 20}},
		{"aligned parts, odd writes", 5 << 20, []int{3<<20 + 5, 4096, 777, 2 << 20}},
		{"odd parts", 5<<20 + 100, []int{1 << 20, 128<<10 + 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := newStore(t)
			fsys, dir := mountStore(t, st, Options{PartSize: c.partSize})
			data := noise(int(4*c.partSize)+12345, 7)
			writeInPieces(t, filepath.Join(dir, "big"), data, c.sizes...)
			settle(t, fsys)
			storedInParts(t, st, "big", data, 5)
		})
	}
}

// TestStreamedWriteWithoutPartBuffers writes a large new file in order
// while every buffer for parts in memory is taken: its parts go from
// the staged file, and it is stored whole.
func TestStreamedWriteWithoutPartBuffers(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{PartSize: 5 << 20})
	var taken [][]byte
	for b := fsys.journal.mem.take(5 << 20); b != nil; b = fsys.journal.mem.take(5 << 20) {
		taken = append(taken, b)
	}
	defer func() {
		for _, b := range taken {
			fsys.journal.mem.give(b)
		}
	}()
	data := noise(22<<20+3, 8)
	writeInPieces(t, filepath.Join(dir, "big"), data, 1<<20)
	settle(t, fsys)
	if b, _ := get(t, st, "big"); !bytes.Equal(b, data) {
		t.Fatalf("stored %d bytes that differ from the %d written", len(b), len(data))
	}
}

// TestKillRecoversStreamedFile kills (SIGKILL) a mount process while a
// large file written in order through it, whose parts went up while it
// was written, is still open: the next mount stores all of it.
func TestKillRecoversStreamedFile(t *testing.T) {
	if v := os.Getenv(crashChildEnv); v != "" {
		crashChild(t, v)
		return
	}
	storeDir, staging, mnt := t.TempDir(), t.TempDir(), t.TempDir()
	cmd := startCrashChild(t, "^TestKillRecoversStreamedFile$", storeDir+"|"+staging+"|"+mnt, mnt)
	data := noise(4*int(DefaultPartSize)+4321, 9)
	f, err := os.Create(filepath.Join(mnt, "big"))
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(data); off += 1 << 20 {
		if _, err := f.Write(data[off:min(off+1<<20, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	st, fsys, _ := killAndRecover(t, cmd, f, storeDir, staging, mnt, "big")
	recovered(t, fsys, "big")
	if b, _ := get(t, st, "big"); !bytes.Equal(b, data) {
		t.Errorf("stored %d bytes that differ from the %d written", len(b), len(data))
	}
}

// TestPartMemBudget lends aligned buffers up to its budget, and again
// once they are given back.
func TestPartMemBudget(t *testing.T) {
	const size = 5 << 20
	m := newPartMem(3*size + size/2)
	for round := range 2 {
		var lent [][]byte
		for b := m.take(size); b != nil; b = m.take(size) {
			if len(b) != 0 || cap(b) != size || !aligned(b[:directAlign], 0) {
				t.Fatalf("round %d: lent len %d cap %d, aligned %v", round, len(b), cap(b), aligned(b[:directAlign], 0))
			}
			lent = append(lent, b)
		}
		if len(lent) != 3 {
			t.Fatalf("round %d: lent %d buffers of a budget of 3.5", round, len(lent))
		}
		for _, b := range lent {
			m.give(b)
		}
	}
}
