package disk

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// walk pages through one key family of a bucket in object-key order,
// rolling keys that hold the delimiter after the prefix into common
// prefixes. After a common prefix it seeks past every key under it, so a
// folder of a million keys costs one seek.
type walk struct {
	family    byte
	bucket    string
	prefix    string
	delimiter string
	start     []byte // first KV key to look at; nil: the start of the prefix
	limit     int    // entries plus common prefixes in a page
}

// walkFuncs receive a walk's entries in order. entry gets the object key
// and the KV key and value, valid only during the call.
type walkFuncs struct {
	entry        func(key string, k, v []byte) error
	commonPrefix func(cp string)
}

// run walks one page and tells whether more entries follow it.
func (w *walk) run(r pebble.Reader, fns walkFuncs) (truncated bool, err error) {
	lower := keyPrefix(w.family, w.bucket, w.prefix)
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(lower)})
	if err != nil {
		return false, fmt.Errorf("list %s: %w", w.bucket, err)
	}
	defer it.Close()
	start := lower
	if string(w.start) > string(lower) {
		start = w.start
	}
	n, skip := 0, len(bucketPrefix(w.family, w.bucket))
	for valid := it.SeekGE(start); valid; {
		key, _, err := readString(it.Key()[skip:])
		if err != nil {
			return false, fmt.Errorf("list %s at %q: %w", w.bucket, it.Key(), err)
		}
		if n == w.limit {
			return true, nil
		}
		n++
		if cp, isCP := w.commonPrefix(key); isCP {
			fns.commonPrefix(cp)
			valid = it.SeekGE(prefixEnd(keyPrefix(w.family, w.bucket, cp)))
			continue
		}
		v, err := it.ValueAndErr()
		if err != nil {
			return false, fmt.Errorf("list %s at %q: %w", w.bucket, key, err)
		}
		if err := fns.entry(key, it.Key(), v); err != nil {
			return false, err
		}
		valid = it.Next()
	}
	return false, it.Error()
}

// commonPrefix returns the common prefix key rolls into, if any.
func (w *walk) commonPrefix(key string) (string, bool) {
	if w.delimiter == "" || !strings.HasPrefix(key, w.prefix) {
		return "", false
	}
	i := strings.Index(key[len(w.prefix):], w.delimiter)
	if i < 0 {
		return "", false
	}
	return key[:len(w.prefix)+i+len(w.delimiter)], true
}

// after returns the first KV key of a family past marker: past every key
// under it when the marker is itself a common prefix, else past the
// marker's own entries.
func (w *walk) after(marker string) []byte {
	if cp, ok := w.commonPrefix(marker); ok && cp == marker {
		return prefixEnd(keyPrefix(w.family, w.bucket, marker))
	}
	return prefixEnd(keyOf(w.family, w.bucket, marker))
}

// pageSize applies S3's rule to a requested page size: 0 means 1000, and
// larger values are capped at 1000.
func pageSize(n int) int {
	if n == 0 || n > 1000 {
		return 1000
	}
	return n
}
