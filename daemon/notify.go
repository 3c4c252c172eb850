package daemon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cairnfs/cairn/internal/sdnotify"
)

// readyWait bounds how long the daemon waits for its units to come up (or
// fail) before it tells systemd it is ready all the same, naming the
// units still starting: a mount on an endpoint that does not answer must
// not hold up the servers and mounts that work. The units keep their
// restarts after that.
const readyWait = 2 * time.Minute

// notifyReady waits until settled is closed (each unit just started came
// up, failed or was stopped; nil when nothing started), at most
// readyWait, then sends READY=1 with a summary of the units, and note
// after it when set. Nothing is sent when ctx ends first, or once the
// daemon is stopping.
func (d *Daemon) notifyReady(ctx context.Context, settled <-chan struct{}, note string) {
	if settled != nil {
		t := time.NewTimer(readyWait)
		defer t.Stop()
		select {
		case <-settled:
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
	status := unitSummary(d.sup.units())
	if note != "" {
		status += "; " + note
	}
	if d.stopping.Load() {
		return
	}
	d.notified(sdnotify.Ready(status))
}

// notifyStopping tells systemd the daemon is stopping.
func (d *Daemon) notifyStopping() {
	d.stopping.Store(true)
	d.notified(sdnotify.Stopping("stopping: flushing mounts and finishing sync passes"))
}

// notified logs a notice systemd could not be sent.
func (d *Daemon) notified(err error) {
	if err != nil {
		d.env.log.Warn("cannot tell systemd the daemon's state", "err", err)
	}
}

// unitSummary sums up units on one line: how many of each kind run, and
// which failed or are still starting.
func unitSummary(units []UnitStatus) string {
	running := map[string]int{}
	var failed, starting []string
	for _, u := range units {
		switch {
		case u.State == StateRunning:
			running[u.Kind]++
		case u.LastError != "" && (u.State == StateFailed || u.State == StateStarting):
			failed = append(failed, fmt.Sprintf("%s %s (%s)", u.Kind, u.Name, u.LastError))
		case u.State == StateStarting:
			starting = append(starting, u.Kind+" "+u.Name)
		}
	}
	var parts []string
	for _, kind := range []string{KindMount, KindSync, KindServer} {
		if n := running[kind]; n > 0 {
			parts = append(parts, plural(n, kind))
		}
	}
	s := strings.Join(parts, ", ")
	if s == "" {
		s = "no unit running"
	}
	if len(failed) > 0 {
		s += "; failed: " + strings.Join(failed, ", ")
	}
	if len(starting) > 0 {
		s += "; still starting: " + strings.Join(starting, ", ")
	}
	return s
}

// plural is "1 mount" or "2 mounts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
