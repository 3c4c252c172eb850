package main

import (
	"fmt"
	"strconv"
	"strings"
)

// sizeFlag is a byte count flag that takes 4096, 512K, 64MiB, 10G, 1TiB
// (binary multiples, with or without "iB" or "B").
type sizeFlag int64

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"T", 40}, {"G", 30}, {"M", 20}, {"K", 10}}

func (s *sizeFlag) String() string { return formatSize(int64(*s), true) }

// Type names the flag's value in help.
func (s *sizeFlag) Type() string { return "size" }

// Set parses a size.
func (s *sizeFlag) Set(v string) error {
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
		return fmt.Errorf("size %q: want a byte count such as 4096, 512MiB or 10G", v)
	}
	*s = sizeFlag(n << shift)
	return nil
}
