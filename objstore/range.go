package objstore

import (
	"fmt"
	"strconv"
	"strings"
)

// Range is an HTTP byte range: bytes=First-Last, bytes=First- (Last < 0)
// or the final SuffixLength bytes (bytes=-N, when SuffixLength > 0).
type Range struct {
	First, Last  int64
	SuffixLength int64
}

// ParseRange parses an HTTP Range header value of one range, the only form
// S3 serves ("bytes=0-99", "bytes=100-", "bytes=-100").
func ParseRange(h string) (*Range, error) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil, fmt.Errorf("range %q: %w", h, ErrInvalidRange)
	}
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return nil, fmt.Errorf("range %q: %w", h, ErrInvalidRange)
	}
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("range %q: %w", h, ErrInvalidRange)
		}
		return &Range{SuffixLength: n}, nil
	}
	f, err := strconv.ParseInt(first, 10, 64)
	if err != nil || f < 0 {
		return nil, fmt.Errorf("range %q: %w", h, ErrInvalidRange)
	}
	r := &Range{First: f, Last: -1}
	if last != "" {
		l, err := strconv.ParseInt(last, 10, 64)
		if err != nil || l < f {
			return nil, fmt.Errorf("range %q: %w", h, ErrInvalidRange)
		}
		r.Last = l
	}
	return r, nil
}

// Resolve returns the offset and length the range selects in an object of
// size bytes, or ErrInvalidRange when it selects none of them.
func (r *Range) Resolve(size int64) (offset, length int64, err error) {
	if r.SuffixLength > 0 {
		n := min(r.SuffixLength, size)
		if n == 0 {
			return 0, 0, fmt.Errorf("range %s of %d bytes: %w", r, size, ErrInvalidRange)
		}
		return size - n, n, nil
	}
	if r.First >= size {
		return 0, 0, fmt.Errorf("range %s of %d bytes: %w", r, size, ErrInvalidRange)
	}
	last := r.Last
	if last < 0 || last >= size {
		last = size - 1
	}
	return r.First, last - r.First + 1, nil
}

// String formats the range as an HTTP Range header value.
func (r *Range) String() string {
	switch {
	case r.SuffixLength > 0:
		return fmt.Sprintf("bytes=-%d", r.SuffixLength)
	case r.Last < 0:
		return fmt.Sprintf("bytes=%d-", r.First)
	default:
		return fmt.Sprintf("bytes=%d-%d", r.First, r.Last)
	}
}
