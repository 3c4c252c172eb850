package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// timeLayout is how listings show times, in the local time zone.
const timeLayout = "2006-01-02 15:04:05"

func formatTime(t time.Time) string { return t.Local().Format(timeLayout) }

// formatSize renders a byte count for a listing: plain, or with --human-readable
// in binary units ("1.5 MiB").
func formatSize(n int64, human bool) string {
	if !human {
		return strconv.FormatInt(n, 10)
	}
	if n < 1024 {
		return fmt.Sprintf("%d Bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	i := 0
	for ; v >= 1024 && i < len(units)-1; i++ {
		v /= 1024
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// formatMap renders a map as k=v pairs, comma-separated, in key order.
func formatMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ",")
}
