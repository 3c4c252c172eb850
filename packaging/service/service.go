// Package service installs and controls cairn daemon as a service of the
// host's init system: a systemd unit (system or user) on Linux, a launchd
// job on macOS, a Windows service, and an init script where systemd is not
// PID 1. The service runs `cairn daemon --config FILE`; this package only
// writes its definition and asks the init system to start and stop it.
package service

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	kservice "github.com/kardianos/service"
)

// DefaultName is the name of the service unless Options.Name says otherwise.
const DefaultName = "cairn"

// Platform names of the init systems, as the service library reports them.
const (
	platformSystemd = "linux-systemd"
	platformLaunchd = "darwin-launchd"
	platformSysV    = "unix-systemv"
	platformWindows = "windows-service"
)

// State is what the init system says of the service.
type State int

// The states Status reports.
const (
	NotInstalled State = iota
	Stopped
	Running
	// Failed is a systemd unit that stopped on a failure (and is not
	// being restarted).
	Failed
)

func (s State) String() string {
	switch s {
	case Running:
		return "running"
	case Stopped:
		return "stopped"
	case Failed:
		return "failed"
	}
	return "not installed"
}

// ErrNotRoot is returned when a system service is changed by another user.
var ErrNotRoot = errors.New("not root: use --user or sudo")

// ErrNotInstalled is returned when an action needs an installed service.
var ErrNotInstalled = errors.New("not installed")

// Options say which service to manage and, for Install, what it runs.
type Options struct {
	// Name of the service; DefaultName when empty.
	Name string
	// User makes it a service of the current user (systemd --user, a
	// launchd agent) instead of a system one.
	User bool
	// Executable is the absolute path of the cairn binary to run.
	Executable string
	// Config is the absolute path of the daemon's YAML config.
	Config string
}

// Service is one service of the host's init system.
type Service struct {
	name, executable, config string
	user                     bool
	svc                      kservice.Service
}

// New describes the service opts name. It neither reads nor changes the
// host; only Install needs Executable and Config.
func New(opts Options) (*Service, error) {
	if opts.Name == "" {
		opts.Name = DefaultName
	}
	if err := checkName(opts.Name); err != nil {
		return nil, err
	}
	cfg := &kservice.Config{
		Name:        opts.Name,
		DisplayName: "cairn (" + opts.Name + ")",
		Description: "cairn daemon: S3 servers, mounts and folder syncs from one config",
		Executable:  opts.Executable,
		Arguments:   []string{"daemon", "--config", opts.Config},
		Option:      platformOptions(opts.User),
		EnvVars:     serviceEnv(opts.User),
	}
	svc, err := kservice.New(noProgram{}, cfg)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", opts.Name, err)
	}
	s := &Service{name: opts.Name, executable: opts.Executable, config: opts.Config, user: opts.User, svc: svc}
	if opts.User && !s.supportsUser() {
		return nil, fmt.Errorf("--user needs systemd or launchd, and this host's services are %s: install it as root without --user", svc.Platform())
	}
	return s, nil
}

// Name is the service's name.
func (s *Service) Name() string { return s.name }

// Platform names the init system the service is installed in, such as
// linux-systemd or unix-systemv.
func (s *Service) Platform() string { return s.svc.Platform() }

// LogHint tells where the service's output goes on this init system.
func (s *Service) LogHint() string {
	switch s.Platform() {
	case platformSystemd:
		if s.user {
			return "journalctl --user -u " + s.name
		}
		return "journalctl -u " + s.name
	case platformSysV:
		return sysvLogFile(s.name)
	case platformWindows:
		return "the Windows event log"
	}
	return "the system log"
}

func (s *Service) supportsUser() bool {
	p := s.Platform()
	return p == platformSystemd || p == platformLaunchd
}

// serviceEnv is the environment of a system service, which init systems
// start without HOME: caches and staged files of mounts go under
// /var/cache/cairn on Linux, as in the packaged units, and under root's
// home on macOS.
func serviceEnv(user bool) map[string]string {
	switch {
	case user:
		return nil
	case runtime.GOOS == "linux":
		return map[string]string{"XDG_CACHE_HOME": "/var/cache"}
	case runtime.GOOS == "darwin":
		return map[string]string{"HOME": "/var/root"}
	}
	return nil
}

func checkName(name string) error {
	if strings.ContainsAny(name, "/\\ \t\n'\"$`") || name == "." || name == ".." {
		return fmt.Errorf("service name %q: use letters, digits, '-', '_' or '.'", name)
	}
	return nil
}

// checkInstallPaths refuses what the init scripts could not quote.
func checkInstallPaths(opts ...string) error {
	for _, p := range opts {
		if !filepath.IsAbs(p) {
			return fmt.Errorf("%s: not an absolute path", p)
		}
		if strings.ContainsAny(p, "'\"`$\\\n{}") {
			return fmt.Errorf("%s: quotes, '$', '\\', braces and newlines are not allowed in a service's paths", p)
		}
	}
	return nil
}

// noProgram satisfies the service library's Interface: this package never
// runs the service in-process, the init system runs cairn daemon.
type noProgram struct{}

func (noProgram) Start(kservice.Service) error { return nil }
func (noProgram) Stop(kservice.Service) error  { return nil }
