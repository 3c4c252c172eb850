package daemon

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cairnfs/cairn/sync/engine"
)

// syncRecorder follows a sync's passes for status and metrics; it
// outlives restarts of the unit.
type syncRecorder struct {
	m    *metrics
	name string

	mu        sync.Mutex
	busy      bool
	idle      *sync.Cond
	bytes     int64
	passes    int64
	files     int64
	conflicts int64
	lastSync  time.Time
	lastErr   string
}

// Planned marks a pass as acting.
func (r *syncRecorder) Planned(int, int64) {
	r.mu.Lock()
	r.busy = true
	r.mu.Unlock()
}

// Moved counts bytes.
func (r *syncRecorder) Moved(n int64) {
	r.mu.Lock()
	r.bytes += n
	r.mu.Unlock()
	r.m.syncBytes.WithLabelValues(r.name).Add(float64(n))
}

// Done counts failed actions.
func (r *syncRecorder) Done(a engine.Action, err error) {
	if err != nil {
		r.mu.Lock()
		r.lastErr = fmt.Sprintf("%s: %v", a, err)
		r.mu.Unlock()
	}
}

// passDone records a pass's outcome.
func (r *syncRecorder) passDone(s engine.Summary, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.busy = false
	r.idle.Broadcast()
	r.passes++
	moved := s.Uploaded + s.Downloaded + s.DeletedLocal + s.DeletedRemote + s.Renamed
	r.files += int64(moved)
	r.conflicts += int64(s.Conflicts)
	r.m.recordPass(r.name, s, err)
	switch {
	case err != nil:
		r.lastErr = err.Error()
	case s.Failed > 0:
		r.lastErr = errors.Join(s.Errors...).Error()
	default:
		r.lastSync, r.lastErr = time.Now(), ""
		r.m.syncLast.WithLabelValues(r.name).Set(float64(r.lastSync.Unix()))
	}
}

// waitIdle waits until no pass is acting, for at most d.
func (r *syncRecorder) waitIdle(d time.Duration) {
	timer := time.AfterFunc(d, func() {
		r.mu.Lock()
		r.busy = false
		r.idle.Broadcast()
		r.mu.Unlock()
	})
	defer timer.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.busy {
		r.idle.Wait()
	}
}

func (r *syncRecorder) fill(st *UnitStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st.BytesMoved, st.Passes, st.Files, st.Conflicts = r.bytes, r.passes, r.files, r.conflicts
	if !r.lastSync.IsZero() {
		t := r.lastSync
		st.LastSync = &t
	}
	if st.LastError == "" {
		st.LastError = r.lastErr
	}
}
