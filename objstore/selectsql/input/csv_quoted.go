package input

import (
	"bytes"
	"errors"
	"io"
)

// parseQuoted parses a line holding quote characters. When a quoted
// field is still open at the end of the line and quoted record
// delimiters are allowed, the next line joins it.
func (c *CSV) parseQuoted(line string) ([]string, error) {
	work := append(c.scratch[:0], line...)
	for {
		fields, open := c.parseFields(c.trimCRBytes(work))
		if !open || !c.opts.AllowQuotedRecordDelimiter {
			c.scratch = work
			return fields, nil
		}
		more, err := c.lines.next()
		if errors.Is(err, io.EOF) {
			c.scratch = work
			return fields, nil
		}
		if err != nil {
			return nil, err
		}
		work = append(append(work, c.rd...), more...)
		if len(work) > MaxRecordSize {
			return nil, errorf("OverMaxRecordSize", "A record of the CSV input is over %d bytes.", MaxRecordSize)
		}
	}
}

// parseFields splits a record with quoted fields; open tells that it
// ended inside a quoted field.
func (c *CSV) parseFields(line []byte) (fields []string, open bool) {
	buf := make([]byte, 0, len(line))
	starts := c.starts[:0]
	i, n := 0, len(line)
	for {
		starts = append(starts, len(buf))
		if i < n && line[i] == c.quote {
			buf, i, open = c.quotedField(buf, line, i+1)
			for i < n && !bytes.HasPrefix(line[i:], c.fd) {
				buf = append(buf, line[i])
				i++
			}
		} else {
			j := bytes.Index(line[i:], c.fd)
			if j < 0 {
				j = n - i
			}
			buf = append(buf, line[i:i+j]...)
			i += j
		}
		if i >= n {
			break
		}
		i += len(c.fd)
		if i == n {
			starts = append(starts, len(buf))
			break
		}
	}
	c.starts = starts
	s := string(buf)
	fields = c.rec.fields[:0]
	for k, st := range starts {
		end := len(s)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		fields = append(fields, s[st:end])
	}
	return fields, open
}

// quotedField copies a quoted field's content from line[i:] into buf,
// returning where it ended and whether it is still open.
func (c *CSV) quotedField(buf, line []byte, i int) ([]byte, int, bool) {
	n := len(line)
	for i < n {
		ch := line[i]
		switch {
		case ch == c.escape && c.escape != c.quote && i+1 < n && (line[i+1] == c.quote || line[i+1] == c.escape):
			buf = append(buf, line[i+1])
			i += 2
		case ch == c.quote && i+1 < n && line[i+1] == c.quote:
			buf = append(buf, c.quote)
			i += 2
		case ch == c.quote:
			return buf, i + 1, false
		default:
			buf = append(buf, ch)
			i++
		}
	}
	return buf, i, true
}
