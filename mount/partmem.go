package mount

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A file written in order from its start keeps the part it is filling in
// memory as well as in its staged file (see stream.write): the part is
// uploaded from memory when it is whole, and the staged file is written
// with O_DIRECT, so that its bytes are copied neither into the page
// cache nor back out of it for the upload.

// partMemory bounds the bytes of the parts all the files of a mount hold
// in memory at once (ten parts of the default size): a file that finds
// too little free sends its next part from its staged file, as an
// edited file does.
const partMemory = 80 << 20

// directAlign is the alignment of the offsets, lengths and memory of
// O_DIRECT writes.
const directAlign = 4096

// partMem lends the buffers that hold parts in memory.
type partMem struct {
	pool sync.Pool // of *[]byte, directAlign-aligned

	mu   sync.Mutex
	left int64 // bytes that may still be lent
}

func newPartMem(budget int64) *partMem {
	return &partMem{left: budget}
}

// take lends an empty buffer of capacity size whose start is
// directAlign-aligned; nil when that would pass the budget.
func (m *partMem) take(size int64) []byte {
	m.mu.Lock()
	if m.left < size {
		m.mu.Unlock()
		return nil
	}
	m.left -= size
	m.mu.Unlock()
	if p, ok := m.pool.Get().(*[]byte); ok && int64(cap(*p)) == size {
		return (*p)[:0]
	}
	return alignedBuffer(size)
}

// give returns a buffer take lent.
func (m *partMem) give(b []byte) {
	m.mu.Lock()
	m.left += int64(cap(b))
	m.mu.Unlock()
	m.pool.Put(&b)
}

// alignedBuffer returns an empty buffer of capacity size whose start is
// directAlign-aligned.
func alignedBuffer(size int64) []byte {
	b := make([]byte, size+directAlign)
	skip := (directAlign - int(uintptr(unsafe.Pointer(&b[0]))%directAlign)) % directAlign
	return b[skip : skip : int64(skip)+size]
}

// directFile is a staged file opened a second time with O_DIRECT, for
// writes that need not go through the page cache.
type directFile struct {
	f *os.File
}

// openDirect opens the file at path for O_DIRECT writes; nil where the
// file system does not have them.
func openDirect(path string) *directFile {
	if oDirect == 0 {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|oDirect, 0)
	if err != nil {
		return nil
	}
	return &directFile{f: f}
}

// aligned tells whether p, to be written at off, suits O_DIRECT.
func aligned(p []byte, off int64) bool {
	return len(p) > 0 && off%directAlign == 0 && len(p)%directAlign == 0 &&
		uintptr(unsafe.Pointer(&p[0]))%directAlign == 0
}

// writeAt writes p at off with O_DIRECT. It reports errNotDirect, having
// written nothing, when the file system refused the write as such.
func (d *directFile) writeAt(p []byte, off int64) (int, error) {
	n, err := d.f.WriteAt(p, off)
	if n == 0 && errors.Is(err, unix.EINVAL) {
		return 0, errNotDirect
	}
	if err != nil {
		return n, fmt.Errorf("write staged file: %w", err)
	}
	return n, nil
}

// errNotDirect says that a file system refused an O_DIRECT write.
var errNotDirect = errors.New("O_DIRECT write refused")

// close closes the O_DIRECT handle.
func (d *directFile) close() {
	d.f.Close()
}
