package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a bar of the bytes copied (with rate and time left) on
// stderr when it is a terminal, and nothing otherwise.
type progress struct {
	bar *progressbar.ProgressBar
	w   io.Writer
}

// newProgress starts a bar for total bytes, -1 when unknown. There is
// none for nothing to copy.
func newProgress(a *app, total int64) *progress {
	if !a.stderrTTY || total == 0 {
		return &progress{}
	}
	return &progress{w: a.stderr, bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionFullWidth(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

// add counts n more bytes. Calls must not overlap.
func (p *progress) add(n int64) {
	if p.bar != nil {
		p.bar.Add64(n)
	}
}

// println writes a line to w, which may share the terminal with the bar;
// the bar comes back with the next add.
func (p *progress) println(w io.Writer, line string) {
	p.clear()
	fmt.Fprintln(w, line)
}

// clear erases the bar: back to the start of its line, then erase the
// line (the terminal escape the bar's own Clear skips when the bar has
// just filled up).
func (p *progress) clear() {
	if p.bar != nil {
		fmt.Fprint(p.w, "\r\x1b[2K")
	}
}
