package input

import (
	"slices"
	"testing"
)

// inlineCases are lines with quotes, with the options they are read with.
var inlineCases = []struct {
	line, fd, quote, esc string
}{
	{`1,"gift, wrapped",x`, ",", `"`, `"`},
	{`"a","b"`, ",", `"`, `"`},
	{`"a",`, ",", `"`, `"`},
	{`"",""`, ",", `"`, `"`},
	{`a"b,c`, ",", `"`, `"`},
	{`"a""b",c`, ",", `"`, `"`},
	{`"a"x,c`, ",", `"`, `"`},
	{`"open,c`, ",", `"`, `"`},
	{`'a\'b';;c`, ";;", `'`, `\`},
	{`'a';;'b';;`, ";;", `'`, `\`},
	{`'a\b';c`, ";", `'`, `\`},
	{`x;"y";`, ";", `"`, `"`},
}

// TestParseInlineMatchesGeneral checks that a line the substring path
// takes splits into exactly the fields of the copying path.
func TestParseInlineMatchesGeneral(t *testing.T) {
	took := 0
	for _, tc := range inlineCases {
		c := inlineReader(tc.fd, tc.quote, tc.esc)
		fast, ok := c.parseInline(tc.line)
		fast = slices.Clone(fast)
		want, _ := c.parseFields([]byte(tc.line))
		if !ok {
			continue
		}
		took++
		if !slices.Equal(fast, want) {
			t.Errorf("%q: substring path %q, copying path %q", tc.line, fast, want)
		}
	}
	if took < 6 {
		t.Errorf("the substring path took %d of the lines, want at least 6", took)
	}
}

// FuzzParseInline compares the two paths on any line.
func FuzzParseInline(f *testing.F) {
	for _, tc := range inlineCases {
		f.Add(tc.line, tc.fd, tc.quote, tc.esc)
	}
	f.Fuzz(func(t *testing.T, line, fd, quote, esc string) {
		if fd == "" || len(fd) > 2 || len(quote) != 1 || len(esc) != 1 {
			return
		}
		c := inlineReader(fd, quote, esc)
		fast, ok := c.parseInline(line)
		if !ok {
			return
		}
		fast = slices.Clone(fast)
		want, _ := c.parseFields([]byte(line))
		if !slices.Equal(fast, want) {
			t.Fatalf("%q: substring path %q, copying path %q", line, fast, want)
		}
	})
}

func inlineReader(fd, quote, esc string) *CSV {
	return &CSV{fd: []byte(fd), quote: quote[0], escape: esc[0]}
}
