package disk

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// Encoded keys must sort as the strings they encode, so that listings
// come out in byte order.
func TestKeyEncodingKeepsOrder(t *testing.T) {
	strs := []string{"", "\x00", "\x00\x00", "\x00\x01", "\x00\xff", "\x01", "a", "a\x00", "a\x00b", "a\x01", "a/", "a/b", "ab", "\xff", "\xff\x00", "é"}
	for i := range 300 {
		strs = append(strs, string(randBytes(i%7, uint64(i))))
	}
	enc := make([][]byte, len(strs))
	for i, s := range strs {
		enc[i] = liveKey("bucket", s)
		got, rest, err := parseObjectKey(prefixLive, "bucket", enc[i])
		if err != nil || got != s || len(rest) != 0 {
			t.Fatalf("round trip of %q: %q, %v", s, got, err)
		}
	}
	idx := make([]int, len(strs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return bytes.Compare(enc[a], enc[b]) })
	for i := 1; i < len(idx); i++ {
		a, b := strs[idx[i-1]], strs[idx[i]]
		if strings.Compare(a, b) > 0 {
			t.Fatalf("%q sorts before %q once encoded", a, b)
		}
	}
}

func TestVersionKeysSortNewestFirst(t *testing.T) {
	older, newer := versionKey("b", "k", 100), versionKey("b", "k", 200)
	if bytes.Compare(newer, older) >= 0 {
		t.Fatal("a newer version sorts after an older one")
	}
	key, seq, err := parseVersionKey("b", newer)
	if err != nil || key != "k" || seq != 200 {
		t.Fatalf("parse: %q %d %v", key, seq, err)
	}
}
