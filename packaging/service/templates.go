package service

import (
	"strconv"
	"strings"

	kservice "github.com/kardianos/service"
)

// stopTimeoutSeconds is how long the init system lets cairn daemon flush
// dirty files, finish uploads and unmount before it kills it.
const stopTimeoutSeconds = 300

// startTimeoutSeconds is how long systemd waits for cairn daemon to
// report itself ready. The daemon reports it once each unit came up or
// failed, and after two minutes at most (naming the units still
// starting), so this only fires when the daemon itself hangs.
const startTimeoutSeconds = 300

// platformOptions are the service library's options for cairn daemon on
// each init system.
func platformOptions(user bool) kservice.KeyValue {
	return kservice.KeyValue{
		"UserService":   user,
		"SystemdScript": systemdUnit(user),
		"SysvScript":    sysvScript(),
		// launchd: start at boot (or login), and again if it exits.
		"RunAtLoad": true,
		"KeepAlive": true,
	}
}

// systemdUnit is the unit `cairn service install` writes. It is the
// packaged cairn.service with the binary and config chosen at install
// time; a user unit is wanted by default.target instead of
// multi-user.target. Like the packaged one, it is Type=notify, so that
// `systemctl start` returns once the daemon's servers listen and its
// mounts are mounted, and it sets no option that gives the service a
// mount namespace of its own (ProtectSystem, PrivateTmp...), since
// mounts made there would not be seen by the rest of the system.
func systemdUnit(user bool) string {
	target := "multi-user.target"
	if user {
		target = "default.target"
	}
	return strings.NewReplacer("@TARGET@", target,
		"@START_TIMEOUT@", strconv.Itoa(startTimeoutSeconds),
		"@STOP_TIMEOUT@", strconv.Itoa(stopTimeoutSeconds)).Replace(systemdTemplate)
}

// systemdTemplate is filled in by the service library: .Path is the
// binary and .Arguments `daemon --config FILE`.
const systemdTemplate = `[Unit]
Description={{.Description}}
Documentation=man:cairn-daemon(1)
Wants=network-online.target
After=network-online.target
ConditionFileIsExecutable={{.Path|cmdEscape}}

[Service]
Type=notify
NotifyAccess=main
TimeoutStartSec=@START_TIMEOUT@
{{range $k, $v := .EnvVars}}Environment="{{$k}}={{$v}}"
{{end -}}
ExecStart={{.Path|cmdEscape}}{{range .Arguments}} {{.|cmd}}{{end}}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
KillMode=mixed
TimeoutStopSec=@STOP_TIMEOUT@

[Install]
WantedBy=@TARGET@
`
