package main

import "github.com/cairnfs/cairn/internal/sdnotify"

// ready tells systemd, when it runs this command as a Type=notify
// service, that the command now serves (status sums up what), and sends
// the watchdog pings the unit asks for until the returned func is called.
// Outside systemd it does nothing.
func (a *app) ready(status string) (stopWatchdog func()) {
	if err := sdnotify.Ready(status); err != nil {
		a.warnf("%v", err)
	}
	return sdnotify.StartWatchdog()
}
