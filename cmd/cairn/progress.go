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
}

// newProgress starts a bar for total bytes, -1 when unknown.
func newProgress(a *app, total int64) *progress {
	if !a.stderrTTY {
		return &progress{}
	}
	return &progress{progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
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
	if p.bar != nil {
		p.bar.Clear()
	}
	fmt.Fprintln(w, line)
}

// clear erases the bar.
func (p *progress) clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}
