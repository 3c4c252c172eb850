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
	// quote is the byte quoted reports on; nextQuote is where blk holds
	// it next at or after lineStart (len(blk) for nowhere), or -1 when
	// not looked for yet. One search serves every line up to the quote.
	quote     byte
	nextQuote int
	lineStart int
	lineEnd   int
}

// quoted tells whether the record next returned last holds the quote
// byte. It does not see the records that a quoted field's record
// delimiter joined to it.
func (l *lineReader) quoted() bool {
	if l.nextQuote < l.lineStart {
		if j := strings.IndexByte(l.blk[l.lineStart:], l.quote); j >= 0 {
			l.nextQuote = l.lineStart + j
		} else {
			l.nextQuote = len(l.blk)
		}
	}
	return l.nextQuote < l.lineEnd
}

// next returns the next record without its delimiter, or io.EOF.
func (l *lineReader) next() (string, error) {
	for {
		if i := l.index(l.blk[l.pos:]); i >= 0 {
			line := l.blk[l.pos : l.pos+i]
			l.lineStart, l.lineEnd = l.pos, l.pos+i
			l.pos += i + len(l.rd)
			l.consumed += int64(i + len(l.rd))
			return line, nil
		}
		if l.eof {
			if l.pos == len(l.blk) {
				return "", io.EOF
			}
			line := l.blk[l.pos:]
			l.lineStart, l.lineEnd = l.pos, len(l.blk)
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
	l.nextQuote = -1
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		l.eof = true
	case err != nil:
		return fmt.Errorf("read CSV input: %w", err)
	}
	return nil
}
