package disk

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// segmentReader reads bytes [pos, end) of a version stored in data files,
// opening each file when it gets there. The files are pinned until Close,
// so they outlive a concurrent delete of the version.
//
// WriteTo hands each file to the destination as an io.LimitedReader over
// an *os.File, so io.Copy to a network connection uses sendfile.
type segmentReader struct {
	files  *fileTable
	layout layout
	segs   []segment
	starts []int64 // offset of each segment in the version
	pos    int64
	end    int64
	cur    *os.File
	curIdx int
	curOff int64 // offset of cur's file position
	pinned []fileID
	closed bool
}

func newSegmentReader(files *fileTable, l layout, segs []segment, pinned []fileID, offset, length int64) *segmentReader {
	starts := make([]int64, len(segs))
	var off int64
	for i, s := range segs {
		starts[i] = off
		off += s.Size
	}
	return &segmentReader{
		files: files, layout: l, segs: segs, starts: starts,
		pos: offset, end: offset + length, curIdx: -1, pinned: pinned,
	}
}

// open positions r.cur at r.pos and returns how many bytes of the current
// segment remain to be read.
func (r *segmentReader) open() (int64, error) {
	if r.closed {
		return 0, errors.New("read of a closed object body")
	}
	i := sort.Search(len(r.segs), func(i int) bool { return r.starts[i]+r.segs[i].Size > r.pos })
	if i == len(r.segs) {
		return 0, io.ErrUnexpectedEOF
	}
	if i != r.curIdx {
		if r.cur != nil {
			r.cur.Close()
			r.cur = nil
		}
		path := r.layout.dataFile(r.segs[i].ID)
		f, err := os.Open(path)
		if err != nil {
			return 0, fmt.Errorf("open data file: %w", err)
		}
		r.cur, r.curIdx, r.curOff = f, i, 0
	}
	within := r.pos - r.starts[i]
	if within != r.curOff {
		if _, err := r.cur.Seek(within, io.SeekStart); err != nil {
			return 0, fmt.Errorf("seek %s: %w", r.cur.Name(), err)
		}
		r.curOff = within
	}
	return min(r.segs[i].Size-within, r.end-r.pos), nil
}

// Read implements io.Reader.
func (r *segmentReader) Read(p []byte) (int, error) {
	if r.pos >= r.end {
		return 0, io.EOF
	}
	left, err := r.open()
	if err != nil {
		return 0, err
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := r.cur.Read(p)
	r.pos += int64(n)
	r.curOff += int64(n)
	if errors.Is(err, io.EOF) {
		if n == 0 {
			return 0, fmt.Errorf("data file %s is shorter than its record: %w", r.cur.Name(), io.ErrUnexpectedEOF)
		}
		err = nil
	}
	return n, err
}

// WriteTo implements io.WriterTo, file by file.
func (r *segmentReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.pos < r.end {
		left, err := r.open()
		if err != nil {
			return total, err
		}
		n, err := io.Copy(w, &io.LimitedReader{R: r.cur, N: left})
		total += n
		r.pos += n
		r.curOff += n
		if err != nil {
			return total, err
		}
		if n < left {
			return total, fmt.Errorf("data file %s is shorter than its record: %w", r.cur.Name(), io.ErrUnexpectedEOF)
		}
	}
	return total, nil
}

// Close closes the open file and unpins the version's files.
func (r *segmentReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var err error
	if r.cur != nil {
		err = r.cur.Close()
	}
	r.files.unpin(r.pinned)
	return err
}
