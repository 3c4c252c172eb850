package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/cairnfs/cairn/sync/engine"
)

// syncTable is the sync suite's report: each tree's initial sync by
// every contender, and the latency runs.
type syncTable struct {
	initial []syncRow
	latency []latencyResult
}

// smallFilesGoal is how many times faster than rclone (sync and bisync)
// cairn is to sync the tree of small files.
const smallFilesGoal = 2.0

// latencyGoal is the median time from a local write to the remote object
// cairn is held to.
const latencyGoal = time.Second

// goals are cairn's targets for a tree: its speed at least min times
// that of the contender against.
func (ds dataset) goals() []target {
	if ds.name != "small" {
		return nil
	}
	return []target{{pRclone, smallFilesGoal}, {pBisync, smallFilesGoal}}
}

// speedup is how many times faster cairn was than the other; 0 when
// either is missing.
func (r syncRow) speedup(other string) float64 {
	c, o := r.took[pCairn], r.took[other]
	if c <= 0 || o <= 0 {
		return 0
	}
	return o.Seconds() / c.Seconds()
}

// verdict says whether cairn met the row's goals, naming those it missed.
func (r syncRow) verdict() string {
	goals := r.ds.goals()
	if len(goals) == 0 {
		return ""
	}
	var missed []string
	for _, g := range goals {
		s := r.speedup(g.against)
		if s == 0 {
			return "n/a"
		}
		if s < g.min {
			missed = append(missed, g.against)
		}
	}
	if len(missed) == 0 {
		return "met"
	}
	return "MISSED (" + strings.Join(missed, ",") + ")"
}

// print writes both parts of the table.
func (t *syncTable) print(w io.Writer) {
	if len(t.initial) > 0 {
		t.printInitial(w)
	}
	if len(t.latency) > 0 {
		if len(t.initial) > 0 {
			fmt.Fprintln(w)
		}
		t.printLatency(w)
	}
}

// printInitial writes the initial syncs: each contender's time, cairn's
// speed-up over each and its goals.
func (t *syncTable) printInitial(w io.Writer) {
	width := len("initial sync")
	for _, r := range t.initial {
		width = max(width, utf8.RuneCountInString(r.ds.title()))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{padRight("initial sync", width)}
	for _, p := range syncPeers {
		head = append(head, p.name)
	}
	for _, p := range syncPeers[1:] {
		head = append(head, "/"+p.name)
	}
	fmt.Fprintln(tw, strings.Join(append(head, "goal", ""), "\t")+"\t")
	for _, r := range t.initial {
		cells := []string{padRight(r.ds.title(), width)}
		for _, p := range syncPeers {
			cells = append(cells, seconds(r.took[p.name]))
		}
		for _, p := range syncPeers[1:] {
			cells = append(cells, times(r.speedup(p.name)))
		}
		cells = append(cells, syncGoalText(r.ds.goals()), r.verdict())
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

// syncGoalText renders the goals of a tree, e.g. "≥2× rclone".
func syncGoalText(goals []target) string {
	if len(goals) == 2 && goals[0].against == pRclone && goals[1].against == pBisync && goals[0].min == goals[1].min {
		return fmt.Sprintf("≥%g× rclone", goals[0].min)
	}
	return goalText(goals)
}

// printLatency writes the latency runs.
func (t *syncTable) printLatency(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "local write to remote object\tsettle\tedits\tmedian\tp99\tmin\tmax\tgoal\t\t")
	for _, r := range t.latency {
		settle := r.lc.settle.String()
		if r.lc.settle == 0 {
			settle = fmt.Sprintf("default (%v)", engine.DefaultSettle)
		}
		verdict := "met"
		if r.quantile(0.5) >= latencyGoal {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\tmedian <%v\t%s\t\n", padRight("cairn sync ("+r.lc.name+")", 28), settle, len(r.times),
			millis(r.quantile(0.5)), millis(r.quantile(0.99)), millis(r.times[0]), millis(r.times[len(r.times)-1]), latencyGoal, verdict)
	}
	tw.Flush()
}

// seconds renders a duration as seconds; "-" when it did not run.
func seconds(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// millis renders a duration as milliseconds.
func millis(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
}

// syncNotes say what each contender ran and how each figure was taken.
func syncNotes(e *env, r *syncRig, st *syncTable) []string {
	var notes []string
	if len(st.initial) > 0 {
		notes = initialNotes(r, e.cfg.rounds)
	}
	if len(st.latency) > 0 {
		notes = append(notes, latencyNotes(st)...)
	}
	return notes
}

// initialNotes say how the initial syncs ran, and their commands.
func initialNotes(r *syncRig, rounds int) []string {
	notes := []string{
		"Initial sync: seconds from the start of the command to its exit, lower is better; /X is X's time over cairn's",
		"  (how many times faster cairn was). Every contender syncs its own copy of the same tree (hard links to the same",
		"  files, last modified an hour before, flushed to disk) into an empty prefix of a bucket of its own on one cairn",
		"  serve (a subprocess on 127.0.0.1, data on the same disk); what the server wrote before is flushed first, and",
		fmt.Sprintf("  after each run the server must hold every file. The median of %d runs each (-rounds), each into a new prefix", rounds),
		"  from a new copy, the contender that goes first rotating every round. All with their defaults:",
		fmt.Sprintf("  cairn sync two-way, --concurrency %d; rclone --transfers 4 --checkers 8, configured by RCLONE_CONFIG_CAIRN_*",
			engine.DefaultConcurrency),
		"  (provider Other, path-style); aws CLI v2 with credentials in the environment.",
		"The goal ≥2× rclone holds cairn to twice the speed of rclone sync and of rclone bisync alike.",
		fmt.Sprintf("Commands of the first round, at %s:", r.root),
	}
	for _, run := range r.runs {
		notes = append(notes, fmt.Sprintf("  %-13s %-6s %s", run.peer, run.set, run.command))
	}
	return notes
}

// latencyNotes say how the edits were timed, and the commands.
func latencyNotes(st *syncTable) []string {
	ds := st.latency[0].folder
	notes := []string{
		fmt.Sprintf("Latency: cairn sync running (watcher) on a folder of %s plus %d files of %s, after its first pass;",
			ds.title(), latencyFiles, formatSize(editSize)),
		fmt.Sprintf("  %d times a file of them is overwritten in place (os.WriteFile) with new content, and timed from", latencyEdits),
		fmt.Sprintf("  just before the write until a HEAD of the object (every %v) shows the new content's MD5 as ETag.", pollEvery),
		"  p99 is the nearest rank (the 99th of 100). The issue names no other tool for this: rclone and aws s3 sync",
		"  have no watcher, so only cairn's figures are given.",
	}
	if engine.DefaultSettle >= latencyGoal {
		notes = append(notes, fmt.Sprintf("  cairn sync uploads a file once it has been left alone for --settle (default %v): with its", engine.DefaultSettle),
			fmt.Sprintf("  defaults no edit can reach the server within %v.", latencyGoal))
	}
	notes = append(notes, "  Commands:")
	for _, l := range st.latency {
		notes = append(notes, fmt.Sprintf("  %-16s %s", l.lc.name, l.command))
	}
	return notes
}
