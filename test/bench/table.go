package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// result is what one side of a case did in its measured time.
type result struct {
	ops     int64
	bytes   int64
	elapsed time.Duration
}

// add sums two slices of the same side.
func (r result) add(o result) result {
	return result{ops: r.ops + o.ops, bytes: r.bytes + o.bytes, elapsed: r.elapsed + o.elapsed}
}

// perSecond is the operation rate.
func (r result) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ops) / r.elapsed.Seconds()
}

// mbPerSecond is the throughput in MB (10^6 bytes) per second.
func (r result) mbPerSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.bytes) / 1e6 / r.elapsed.Seconds()
}

// row is one case: cairn next to its ceiling.
type row struct {
	name           string
	cairn, ceiling result
	// unit names one operation ("op", "page").
	unit string
	// throughput adds MB/s to the cells.
	throughput bool
	// goal is the ratio cairn is held to, in percent; 0 for none.
	goal float64
}

// ratio is cairn's rate as a percentage of the ceiling's.
func (r row) ratio() float64 {
	c := r.ceiling.perSecond()
	if c == 0 {
		return 0
	}
	return 100 * r.cairn.perSecond() / c
}

// table is a suite's report: its rows and the notes that say what each
// ceiling is.
type table struct {
	title string
	// columns name the two sides, cairn's first; "cairn" and "ceiling"
	// when empty.
	columns [2]string
	rows    []row
	notes   []string
	// render, when set, prints the table's body in place of rows: a
	// suite that compares more than two sides lays out its own.
	render func(io.Writer)
}

// print writes the table for a reader.
func (t *table) print(w io.Writer) {
	fmt.Fprintf(w, "\n%s\n\n", t.title)
	if t.render != nil {
		t.render(w)
		t.printNotes(w)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("case")
	for _, r := range t.rows {
		width = max(width, utf8.RuneCountInString(r.name))
	}
	// Cells align right; names are padded so that they read left-aligned.
	cols := t.columns
	if cols == [2]string{} {
		cols = [2]string{"cairn", "ceiling"}
	}
	fmt.Fprintf(tw, "%s\t%s\t%s\tratio\tgoal\t\t\n", padRight("case", width), cols[0], cols[1])
	for _, r := range t.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f%%\t%s\t%s\t\n",
			padRight(r.name, width), r.cell(r.cairn), r.cell(r.ceiling), r.ratio(), r.goalText(), r.verdict())
	}
	tw.Flush()
	t.printNotes(w)
}

// printNotes writes the notes under the table.
func (t *table) printNotes(w io.Writer) {
	if len(t.notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range t.notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}

// cell formats one side: its rate, and its throughput or latency.
func (r row) cell(res result) string {
	rate := res.perSecond()
	s := fmt.Sprintf("%s %s/s", formatRate(rate), r.unit)
	if r.throughput {
		return s + fmt.Sprintf(" %7.1f MB/s", res.mbPerSecond())
	}
	if rate > 0 {
		s += fmt.Sprintf(" %6.3f ms", 1000/rate)
	}
	return s
}

func (r row) goalText() string {
	if r.goal == 0 {
		return ""
	}
	return fmt.Sprintf("≥%.0f%%", r.goal)
}

func (r row) verdict() string {
	switch {
	case r.goal == 0:
		return ""
	case r.ratio() >= r.goal:
		return "met"
	}
	return "BELOW"
}

// formatRate prints a rate with three significant digits or more.
func formatRate(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// formatSize prints a byte count as the flags write it.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d B", n)
}

// padRight pads s with spaces to width characters.
func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}
