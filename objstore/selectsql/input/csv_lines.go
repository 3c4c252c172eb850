package input

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// blockSize is how much of the input a lineReader reads at a time.
const blockSize = 1 << 20

// lineReader cuts a stream into records at a delimiter. Records are
// substrings of large blocks: one string per block rather than one per
// record, which keeps the garbage collector out of a scan's way.
type lineReader struct {
	r  io.Reader
	rd string
	// buf is where a block is read, before it becomes blk.
	buf []byte
	blk string
	pos int
	eof bool
	// consumed counts the bytes of the records returned, delimiters
	// included.
	consumed int64
}

// next returns the next record without its delimiter, or io.EOF.
func (l *lineReader) next() (string, error) {
	for {
		if i := l.index(l.blk[l.pos:]); i >= 0 {
			line := l.blk[l.pos : l.pos+i]
			l.pos += i + len(l.rd)
			l.consumed += int64(i + len(l.rd))
			return line, nil
		}
		if l.eof {
			if l.pos == len(l.blk) {
				return "", io.EOF
			}
			line := l.blk[l.pos:]
			l.pos = len(l.blk)
			l.consumed += int64(len(line))
			return line, nil
		}
		if err := l.fill(); err != nil {
			return "", err
		}
	}
}

func (l *lineReader) index(s string) int {
	if len(l.rd) == 1 {
		return strings.IndexByte(s, l.rd[0])
	}
	return strings.Index(s, l.rd)
}

// fill reads the next block behind what is left of the current one.
func (l *lineReader) fill() error {
	tail := l.blk[l.pos:]
	if len(tail) > MaxRecordSize {
		return errorf("OverMaxRecordSize", "A record of the CSV input is over %d bytes.", MaxRecordSize)
	}
	if cap(l.buf) < len(tail)+blockSize {
		l.buf = make([]byte, 0, len(tail)+blockSize)
	}
	buf := append(l.buf[:0], tail...)
	n, err := io.ReadFull(l.r, buf[len(buf):cap(buf)])
	l.blk, l.pos = string(buf[:len(tail)+n]), 0
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		l.eof = true
	case err != nil:
		return fmt.Errorf("read CSV input: %w", err)
	}
	return nil
}
