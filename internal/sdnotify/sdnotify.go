// Package sdnotify tells systemd how a long-running cairn command is
// doing, over the sd_notify protocol (github.com/coreos/go-systemd/v22):
// READY=1 once it serves, RELOADING=1 and READY=1 around a config
// reload, STOPPING=1 when it begins to stop, STATUS= lines that
// `systemctl status` shows, and WATCHDOG=1 pings when the unit sets
// WatchdogSec=. A unit of Type=notify waits for READY=1, so that
// `systemctl start` returns once the service is up and units ordered
// after it find its servers listening and its mounts mounted.
//
// systemd passes the socket in NOTIFY_SOCKET and the watchdog interval in
// WATCHDOG_USEC. Where they are unset (a shell, sysv init, launchd, a
// unit of Type=simple) every call is a no-op. The variables stay set, so
// that later notices (reload, stop) reach systemd too.
package sdnotify

import (
	"fmt"
	"strings"
	"sync"
	"time"

	sd "github.com/coreos/go-systemd/v22/daemon"
)

// Ready tells systemd the service is up, or done reloading; status, when
// not empty, sums up what runs.
func Ready(status string) error {
	return send(sd.SdNotifyReady, statusLine(status))
}

// Reloading tells systemd the service is applying its config again;
// Ready follows once it is applied.
func Reloading() error {
	return send(sd.SdNotifyReloading, strings.TrimSuffix(sd.SdNotifyMonotonicUsec(), "\n"))
}

// Stopping tells systemd the service is stopping: what it does until it
// exits (flushing files, unmounting) is part of the stop.
func Stopping(status string) error {
	return send(sd.SdNotifyStopping, statusLine(status))
}

// statusLine is the STATUS= assignment of status, on one line; empty
// when status is.
func statusLine(status string) string {
	if status == "" {
		return ""
	}
	return "STATUS=" + strings.Join(strings.Fields(status), " ")
}

// send sends the non-empty assignments as one notice.
func send(assignments ...string) error {
	var b strings.Builder
	for _, a := range assignments {
		if a != "" {
			b.WriteString(a)
			b.WriteByte('\n')
		}
	}
	if _, err := sd.SdNotify(false, b.String()); err != nil {
		return fmt.Errorf("notify systemd (%s): %w", strings.TrimSpace(assignments[0]), err)
	}
	return nil
}

// StartWatchdog sends WATCHDOG=1 at half the interval systemd asks for in
// WATCHDOG_USEC (WatchdogSec=), from a goroutine of its own, until stop
// is called; stop waits for that goroutine. The pings come from nothing
// but a timer, so a service busy with long work (flushing a large file)
// keeps sending them: they tell systemd the process is alive, not that
// its work is healthy. Without a watchdog (or one meant for another
// process) it starts nothing.
func StartWatchdog() (stop func()) {
	interval, err := sd.SdWatchdogEnabled(false)
	if err != nil || interval <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval / 2)
		defer t.Stop()
		for {
			send(sd.SdNotifyWatchdog)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return sync.OnceFunc(func() { close(done); wg.Wait() })
}
