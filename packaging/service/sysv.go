package service

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// sysvDir is where init scripts live.
const sysvDir = "/etc/init.d"

// sysvLogFile is where the init script sends the service's output.
func sysvLogFile(name string) string { return "/var/log/" + name + ".log" }

// sysvScript is the init script `cairn service install` writes where
// systemd is not PID 1, in place of the library's: it stops with SIGTERM
// and waits as long as the daemon may take to flush and unmount, keeps
// the LSB exit codes (status: 0 running, 3 stopped) and runs the daemon
// in a session of its own with its output in /var/log/NAME.log.
func sysvScript() string {
	return strings.ReplaceAll(sysvTemplate, "@STOP_TIMEOUT@", strconv.Itoa(stopTimeoutSeconds))
}

// sysvTemplate is filled in by the service library: .Path is the binary
// and .Arguments `daemon --config FILE`, which checkInstallPaths keeps
// free of quotes.
const sysvTemplate = `#!/bin/sh
### BEGIN INIT INFO
# Provides:          {{.Name}}
# Required-Start:    $remote_fs $network
# Required-Stop:     $remote_fs $network
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: {{.DisplayName}}
# Description:       {{.Description}}
### END INIT INFO
# chkconfig: 2345 99 01

name='{{.Name}}'
pid_file="/var/run/$name.pid"
log_file="/var/log/$name.log"
stop_timeout=@STOP_TIMEOUT@
{{range $k, $v := .EnvVars}}export {{$k}}='{{$v}}'
{{end}}
# is_running tells whether the process of the pid file is alive (an exited
# child that is not yet reaped is a zombie, state Z, and is not).
is_running() {
	[ -f "$pid_file" ] || return 1
	pid=$(cat "$pid_file" 2>/dev/null)
	[ -n "$pid" ] || return 1
	state=$(sed -n 's/^.*) \(.\).*/\1/p' "/proc/$pid/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

start() {
	if is_running; then
		echo "$name is running"
		return 0
	fi
	echo "Starting $name"
	{{if .WorkingDirectory}}cd '{{.WorkingDirectory}}' || return 1{{else}}cd / || return 1{{end}}
	if command -v setsid >/dev/null 2>&1; then
		setsid '{{.Path}}'{{range .Arguments}} '{{.}}'{{end}} </dev/null >>"$log_file" 2>&1 &
	else
		'{{.Path}}'{{range .Arguments}} '{{.}}'{{end}} </dev/null >>"$log_file" 2>&1 &
	fi
	echo $! >"$pid_file"
	sleep 1
	if ! is_running; then
		rm -f "$pid_file"
		echo "$name did not start, see $log_file"
		return 1
	fi
}

stop() {
	if ! is_running; then
		rm -f "$pid_file"
		echo "$name is stopped"
		return 0
	fi
	echo "Stopping $name"
	kill -TERM "$pid"
	waited=0
	while is_running; do
		if [ "$waited" -ge "$stop_timeout" ]; then
			echo "$name is still stopping after $stop_timeout s, see $log_file"
			return 1
		fi
		sleep 1
		waited=$((waited + 1))
	done
	rm -f "$pid_file"
}

case "$1" in
start) start ;;
stop) stop ;;
restart|force-reload) stop && start ;;
reload)
	is_running || { echo "$name is stopped"; exit 7; }
	kill -HUP "$pid"
	;;
status)
	if is_running; then
		echo "Running"
	else
		echo "Stopped"
		exit 3
	fi
	;;
*)
	echo "Usage: $0 {start|stop|restart|reload|force-reload|status}" >&2
	exit 2
	;;
esac
`

// sysvStatus runs the init script's status action: exit status 0 is
// running, 3 (LSB's "not running") is stopped.
func sysvStatus(name string) (State, error) {
	script := filepath.Join(sysvDir, name)
	if _, err := os.Stat(script); errors.Is(err, fs.ErrNotExist) {
		return NotInstalled, nil
	}
	err := exec.Command(script, "status").Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return Running, nil
	case errors.As(err, &ee) && ee.ExitCode() == 3:
		return Stopped, nil
	}
	return NotInstalled, fmt.Errorf("status of service %s: %s status: %w", name, script, err)
}

// removeSysVLinks removes the runlevel links to the init script of name
// that installing it made (/etc/rcN.d/S50NAME and K02NAME).
func removeSysVLinks(name string) error {
	script := filepath.Join(sysvDir, name)
	links, err := filepath.Glob("/etc/rc[0-6S].d/[SK][0-9][0-9]" + name)
	if err != nil {
		return fmt.Errorf("find runlevel links of %s: %w", script, err)
	}
	for _, l := range links {
		target, err := os.Readlink(l)
		if err != nil || target != script {
			continue
		}
		if err := os.Remove(l); err != nil {
			return fmt.Errorf("remove runlevel link: %w", err)
		}
	}
	return nil
}
