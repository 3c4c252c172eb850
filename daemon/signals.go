package daemon

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// RunWithSignals runs the daemon until ctx ends or SIGINT or SIGTERM
// arrives, which stops it gracefully; SIGHUP reloads the config. A second
// SIGINT or SIGTERM calls exit at once: the mounts' journals keep what
// was written, and the next start stores it. Reloads run one at a time
// beside the signal loop (a SIGHUP during one asks for one more), so that
// a reload waiting for a slow mount to come up does not hold up a stop.
func (d *Daemon) RunWithSignals(ctx context.Context, exit func(code int)) error {
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sig)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	reload := make(chan struct{}, 1)
	go d.reloadOnRequest(reload, done)
	go func() {
		stopping := false
		for {
			select {
			case <-done:
				return
			case s := <-sig:
				switch {
				case s == syscall.SIGHUP:
					select {
					case reload <- struct{}{}:
					default: // one is pending already
					}
				case stopping:
					d.env.log.Warn("second signal: exiting now", "signal", s.String())
					exit(1)
				default:
					stopping = true
					d.env.log.Info("signal received: stopping", "signal", s.String())
					cancel()
				}
			}
		}
	}()
	return d.Run(ctx)
}

// reloadOnRequest reloads the config on each request until done.
func (d *Daemon) reloadOnRequest(requests <-chan struct{}, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-requests:
			if err := d.Reload(); err != nil {
				d.env.log.Error("reload refused; the running config stays", "err", err)
			}
		}
	}
}
