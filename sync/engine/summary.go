package engine

import (
	"fmt"
	"strings"
)

// Reporter follows the progress of passes; its methods may be called from
// several goroutines at once.
type Reporter interface {
	// Planned is told, before a pass acts, how many actions it will take
	// and how many bytes they move.
	Planned(actions int, bytes int64)
	// Moved is told of bytes transferred.
	Moved(n int64)
	// Done is told of every finished action, with its error if it failed.
	Done(a Action, err error)
}

type nopReporter struct{}

func (nopReporter) Planned(int, int64) {}
func (nopReporter) Moved(int64)        {}
func (nopReporter) Done(Action, error) {}

// Summary counts what passes did.
type Summary struct {
	Uploaded, Downloaded        int
	DeletedRemote, DeletedLocal int
	Renamed, Conflicts          int
	// Pending counts files left for a later pass: still being written,
	// changed while they moved, or under an unreadable directory.
	Pending int
	// Failed counts actions that failed; Errors holds their errors.
	Failed int
	Errors []error
	// Bytes is how many bytes moved.
	Bytes int64
}

// Add folds s2 into s.
func (s *Summary) Add(s2 Summary) {
	s.Uploaded += s2.Uploaded
	s.Downloaded += s2.Downloaded
	s.DeletedRemote += s2.DeletedRemote
	s.DeletedLocal += s2.DeletedLocal
	s.Renamed += s2.Renamed
	s.Conflicts += s2.Conflicts
	s.Pending += s2.Pending
	s.Failed += s2.Failed
	s.Errors = append(s.Errors, s2.Errors...)
	s.Bytes += s2.Bytes
}

// String is the one-line summary the CLI prints.
func (s Summary) String() string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(s.Uploaded, "uploaded")
	add(s.Downloaded, "downloaded")
	add(s.DeletedRemote, "deleted remotely")
	add(s.DeletedLocal, "deleted locally")
	add(s.Renamed, "renamed")
	add(s.Conflicts, "conflicts kept")
	add(s.Pending, "pending")
	add(s.Failed, "failed")
	if len(parts) == 0 {
		return "in sync, nothing to do"
	}
	return strings.Join(parts, ", ")
}
