package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// serverGET stands, in a target, for the server's own GET throughput of
// the large file.
const serverGET = "GET"

// target is one goal of cairn: its rate at least min times the rate of
// the contender named against (or of the server's own GET).
type target struct {
	against string
	min     float64
}

// mountTable is the mount suite's report: every workload on every
// contender, the ratios of cairn to the others and its goals.
type mountTable struct {
	rows []*mountRow
	// get is the server's own GET throughput of the large file (MB/s);
	// 0 when not measured.
	get float64
}

// mountRow is one workload's figures, by contender name.
type mountRow struct {
	w    *workload
	figs map[string]measurement
}

// ratio is cairn's rate over the other's; 0 when either is missing.
func (t *mountTable) ratio(r *mountRow, against string) float64 {
	other := t.get
	if against != serverGET {
		other = r.figs[against].rate
	}
	c := r.figs[cCairn].rate
	if other <= 0 || c <= 0 {
		return 0
	}
	return c / other
}

// print writes the table's body: a row a workload.
func (t *mountTable) print(w io.Writer) {
	width := len("workload")
	for _, r := range t.rows {
		width = max(width, utf8.RuneCountInString(r.w.title))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{padRight("workload", width), "unit"}
	head = append(head, contenderNames...)
	head = append(head, "/s3fs", "/rcl-w", "/rcl-f", "/local", "goal", "")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range t.rows {
		cells := []string{padRight(r.w.title, width), r.w.unit}
		for _, n := range contenderNames {
			cells = append(cells, t.figure(r, n))
		}
		for _, n := range []string{cS3fs, cRcloneWrites, cRcloneFull} {
			cells = append(cells, times(t.ratio(r, n)))
		}
		cells = append(cells, percent(t.ratio(r, cLocal)), goalText(r.w.goal), t.verdict(r))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

// figure is one contender's rate, or "-" when it did not run.
func (t *mountTable) figure(r *mountRow, name string) string {
	m, ok := r.figs[name]
	if !ok {
		return "-"
	}
	return formatRate(m.rate)
}

// verdict says whether cairn met every goal of the row, naming the ones
// it missed.
func (t *mountTable) verdict(r *mountRow) string {
	if len(r.w.goal) == 0 {
		return ""
	}
	var missed []string
	for _, g := range r.w.goal {
		got := t.ratio(r, g.against)
		if got == 0 {
			return "n/a"
		}
		if got < g.min {
			missed = append(missed, g.against+" "+ratioText(got, g.min))
		}
	}
	if len(missed) == 0 {
		return "met"
	}
	return "MISSED (" + strings.Join(missed, ", ") + ")"
}

// ratioText renders a ratio the way its goal is written: a percentage
// for goals below 1, else a factor.
func ratioText(r, goal float64) string {
	if goal < 1 {
		return percent(r)
	}
	return times(r)
}

// goalText renders a row's goals, e.g. "≥2× s3fs ≥70% GET".
func goalText(goal []target) string {
	var parts []string
	for _, g := range goal {
		name := g.against
		if name == cRcloneFull && len(parts) > 0 && strings.HasSuffix(parts[len(parts)-1], cRcloneWrites) {
			parts[len(parts)-1] = strings.TrimSuffix(parts[len(parts)-1], "-writes")
			continue
		}
		if g.min < 1 {
			parts = append(parts, fmt.Sprintf("≥%.0f%% %s", 100*g.min, name))
		} else {
			parts = append(parts, fmt.Sprintf("≥%g× %s", g.min, name))
		}
	}
	return strings.Join(parts, " ")
}

// times renders a ratio as a factor; percent as a percentage.
func times(r float64) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", r)
}

func percent(r float64) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*r)
}
