package disk

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/cairnfs/cairn/objstore/sse"
)

// cryptReader reads bytes [pos, end) of an encrypted version stored in
// data files, decrypting only the chunks of each file the range touches.
// Like segmentReader, its files are pinned until Close.
type cryptReader struct {
	files  *fileTable
	layout layout
	key    *sse.DataKey
	bufs   *sse.Buffers
	segs   []segment
	starts []int64
	pos    int64
	end    int64
	f      *os.File
	cur    *sse.Reader
	curEnd int64 // version offset where cur ends
	pinned []fileID
	closed bool
}

func newCryptReader(files *fileTable, l layout, key *sse.DataKey, bufs *sse.Buffers, segs []segment, pinned []fileID, offset, length int64) *cryptReader {
	starts := make([]int64, len(segs))
	var off int64
	for i, s := range segs {
		starts[i] = off
		off += s.Size
	}
	return &cryptReader{
		files: files, layout: l, key: key, bufs: bufs, segs: segs, starts: starts,
		pos: offset, end: offset + length, pinned: pinned,
	}
}

// next makes cur read the rest of the range within the segment at pos.
func (r *cryptReader) next() error {
	if r.closed {
		return errors.New("read of a closed object body")
	}
	if r.cur != nil && r.pos < r.curEnd {
		return nil
	}
	r.closeFile()
	i := sort.Search(len(r.segs), func(i int) bool { return r.starts[i]+r.segs[i].Size > r.pos })
	if i == len(r.segs) {
		return io.ErrUnexpectedEOF
	}
	f, err := os.Open(r.layout.dataFile(r.segs[i].ID))
	if err != nil {
		return fmt.Errorf("open data file: %w", err)
	}
	within := r.pos - r.starts[i]
	n := min(r.segs[i].Size-within, r.end-r.pos)
	cur, err := sse.NewReader(f, r.key, r.segs[i].Size, within, n)
	if err != nil {
		f.Close()
		return fmt.Errorf("data file %s: %w", f.Name(), err)
	}
	cur.Recycle(r.bufs)
	r.f, r.cur, r.curEnd = f, cur, r.pos+n
	return nil
}

func (r *cryptReader) closeFile() {
	if r.f != nil {
		r.cur.Release()
		r.f.Close()
		r.f, r.cur = nil, nil
	}
}

// Read implements io.Reader.
func (r *cryptReader) Read(p []byte) (int, error) {
	if r.pos >= r.end {
		return 0, io.EOF
	}
	if err := r.next(); err != nil {
		return 0, err
	}
	p = p[:min(int64(len(p)), r.curEnd-r.pos)]
	n, err := r.cur.Read(p)
	r.pos += int64(n)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	if err != nil {
		return n, fmt.Errorf("data file %s: %w", r.f.Name(), err)
	}
	return n, nil
}

// WriteTo implements io.WriterTo, segment by segment.
func (r *cryptReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.pos < r.end {
		if err := r.next(); err != nil {
			return total, err
		}
		n, err := r.cur.WriteTo(w)
		total += n
		r.pos += n
		if err != nil {
			return total, fmt.Errorf("data file %s: %w", r.f.Name(), err)
		}
	}
	return total, nil
}

// Close closes the open file and unpins the version's files.
func (r *cryptReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.closeFile()
	r.files.unpin(r.pinned)
	return nil
}
