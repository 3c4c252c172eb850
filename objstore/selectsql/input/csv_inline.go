package input

import "strings"

// parseInline splits a line whose quoted fields hold neither a doubled
// quote nor an escape and close before the next delimiter: then every
// field is a substring of the line and nothing is copied. ok is false
// for any other line, which parseQuoted handles.
func (c *CSV) parseInline(line string) (fields []string, ok bool) {
	fd := string(c.fd)
	if strings.IndexByte(fd, c.quote) >= 0 || strings.IndexByte(fd, c.escape) >= 0 {
		return nil, false // delimiters that overlap the quotes take the careful path
	}
	fields = c.rec.fields[:0]
	i, n := 0, len(line)
	for {
		if i < n && line[i] == c.quote {
			j := strings.IndexByte(line[i+1:], c.quote)
			if j < 0 {
				return nil, false
			}
			field := line[i+1 : i+1+j]
			if c.escape != c.quote && strings.IndexByte(field, c.escape) >= 0 {
				return nil, false
			}
			i += j + 2
			if i < n && !strings.HasPrefix(line[i:], fd) {
				return nil, false // a doubled quote or text after the closing quote
			}
			fields = append(fields, field)
		} else {
			j := strings.Index(line[i:], fd)
			if j < 0 {
				j = n - i
			}
			fields = append(fields, line[i:i+j])
			i += j
		}
		if i >= n {
			return fields, true
		}
		i += len(fd)
		if i == n {
			return append(fields, ""), true
		}
	}
}
