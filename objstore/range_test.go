package objstore_test

import (
	"errors"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

func TestParseRange(t *testing.T) {
	valid := []struct {
		header string
		want   objstore.Range
	}{
		{"bytes=0-99", objstore.Range{First: 0, Last: 99}},
		{"bytes=5-5", objstore.Range{First: 5, Last: 5}},
		{"bytes=100-", objstore.Range{First: 100, Last: -1}},
		{"bytes=0-", objstore.Range{First: 0, Last: -1}},
		{"bytes=-100", objstore.Range{SuffixLength: 100}},
		{"bytes=-1", objstore.Range{SuffixLength: 1}},
		{"  bytes=1-2  ", objstore.Range{First: 1, Last: 2}},
		{"bytes=0-9223372036854775806", objstore.Range{First: 0, Last: 9223372036854775806}},
	}
	for _, c := range valid {
		got, err := objstore.ParseRange(c.header)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", c.header, err)
			continue
		}
		if *got != c.want {
			t.Errorf("ParseRange(%q) = %+v, want %+v", c.header, *got, c.want)
		}
	}
}

func TestParseRangeInvalid(t *testing.T) {
	invalid := []string{
		"", "bytes=", "bytes=-", "bytes=5", "bytes=a-b", "bytes=1-b", "bytes=10-5",
		"bytes=-0", "bytes=0-1,5-6", "items=0-1", "bytes=-5-6", "bytes=-1-",
		"bytes=--5", "bytes=-a", "0-99", "bytes=99999999999999999999-",
	}
	for _, h := range invalid {
		r, err := objstore.ParseRange(h)
		if err == nil {
			t.Errorf("ParseRange(%q) = %+v, want an error", h, *r)
			continue
		}
		if !errors.Is(err, objstore.ErrInvalidRange) {
			t.Errorf("ParseRange(%q): %v, want InvalidRange", h, err)
		}
	}
}

func TestRangeStringRoundTrip(t *testing.T) {
	for _, h := range []string{"bytes=0-99", "bytes=100-", "bytes=-100", "bytes=7-7"} {
		r, err := objstore.ParseRange(h)
		if err != nil {
			t.Fatalf("ParseRange(%q): %v", h, err)
		}
		if got := r.String(); got != h {
			t.Errorf("ParseRange(%q).String() = %q", h, got)
		}
	}
}

func TestRangeResolve(t *testing.T) {
	cases := []struct {
		r            objstore.Range
		size         int64
		offset, n    int64
		unsatisfying bool
	}{
		{r: objstore.Range{First: 0, Last: 99}, size: 100, offset: 0, n: 100},
		{r: objstore.Range{First: 10, Last: 19}, size: 100, offset: 10, n: 10},
		{r: objstore.Range{First: 99, Last: 99}, size: 100, offset: 99, n: 1},
		{r: objstore.Range{First: 90, Last: -1}, size: 100, offset: 90, n: 10},
		{r: objstore.Range{First: 0, Last: -1}, size: 100, offset: 0, n: 100},
		{r: objstore.Range{First: 95, Last: 200}, size: 100, offset: 95, n: 5},
		{r: objstore.Range{First: 0, Last: 100}, size: 100, offset: 0, n: 100},
		{r: objstore.Range{SuffixLength: 10}, size: 100, offset: 90, n: 10},
		{r: objstore.Range{SuffixLength: 100}, size: 100, offset: 0, n: 100},
		{r: objstore.Range{SuffixLength: 500}, size: 100, offset: 0, n: 100},
		{r: objstore.Range{SuffixLength: 1}, size: 1, offset: 0, n: 1},
		{r: objstore.Range{First: 100, Last: -1}, size: 100, unsatisfying: true},
		{r: objstore.Range{First: 100, Last: 200}, size: 100, unsatisfying: true},
		{r: objstore.Range{First: 5000, Last: 6000}, size: 100, unsatisfying: true},
		{r: objstore.Range{First: 0, Last: -1}, size: 0, unsatisfying: true},
		{r: objstore.Range{First: 0, Last: 0}, size: 0, unsatisfying: true},
		{r: objstore.Range{SuffixLength: 5}, size: 0, unsatisfying: true},
	}
	for _, c := range cases {
		off, n, err := c.r.Resolve(c.size)
		if c.unsatisfying {
			if !errors.Is(err, objstore.ErrInvalidRange) {
				t.Errorf("%s of %d bytes: (%d, %d, %v), want InvalidRange", c.r.String(), c.size, off, n, err)
			}
			continue
		}
		if err != nil || off != c.offset || n != c.n {
			t.Errorf("%s of %d bytes: (%d, %d, %v), want (%d, %d)", c.r.String(), c.size, off, n, err, c.offset, c.n)
		}
	}
}
