package daemon

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"T", 40}, {"G", 30}, {"M", 20}, {"K", 10}}

// ParseSize reads a byte count such as 4096, 512K, 64MiB, 10G or 1TiB
// (binary multiples, with or without "iB" or "B").
func ParseSize(v string) (int64, error) {
	num := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(v)), "B"), "I")
	shift := uint(0)
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("size %q: want a byte count such as 4096, 512MiB or 10G", v)
	}
	return n << shift, nil
}

func (s *Size) decodeScalar(v string) error {
	n, err := ParseSize(v)
	*s = Size(n)
	return err
}

func (d *Duration) decodeScalar(v string) error {
	t, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || t < 0 {
		return fmt.Errorf("duration %q: want a time such as 30s, 5m or 1h", v)
	}
	*d = Duration(t)
	return nil
}

func (m *FileMode) decodeScalar(v string) error {
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(v), "0o"), 8, 32)
	if err != nil || n > 0o7777 {
		return fmt.Errorf("%q: want octal permissions such as 0644", v)
	}
	*m = FileMode(n)
	return nil
}

func slicesSort(s []string) { slices.Sort(s) }
