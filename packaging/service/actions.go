package service

import (
	"errors"
	"fmt"

	kservice "github.com/kardianos/service"
)

// Install writes the service definition that runs the Executable of
// New's options with their Config, after checking that the config file
// is there and is YAML. It does not start the service.
func (s *Service) Install() error {
	if err := s.requireRoot(); err != nil {
		return err
	}
	if err := checkInstallPaths(s.executable, s.config); err != nil {
		return err
	}
	if err := CheckConfig(s.config); err != nil {
		return err
	}
	if st, err := s.Status(); err == nil && st != NotInstalled {
		return fmt.Errorf("service %s is already installed (%s): uninstall it first", s.name, st)
	}
	if err := s.svc.Install(); err != nil {
		return fmt.Errorf("install service %s (%s): %w", s.name, s.Platform(), err)
	}
	return nil
}

// Uninstall stops the service if it runs and removes its definition.
func (s *Service) Uninstall() error {
	if err := s.requireRoot(); err != nil {
		return err
	}
	st, err := s.Status()
	if err != nil {
		return err
	}
	if st == NotInstalled {
		return fmt.Errorf("service %s: %w", s.name, ErrNotInstalled)
	}
	if st == Running {
		if err := s.stop(); err != nil {
			return err
		}
	}
	if err := s.svc.Uninstall(); err != nil {
		return fmt.Errorf("uninstall service %s (%s): %w", s.name, s.Platform(), err)
	}
	if s.Platform() == platformSysV {
		return removeSysVLinks(s.name)
	}
	return nil
}

// Start asks the init system to start the service; it is not an error
// when it already runs.
func (s *Service) Start() error {
	st, err := s.installed()
	if err != nil || st == Running {
		return err
	}
	if err := s.svc.Start(); err != nil {
		return fmt.Errorf("start service %s: %w (see %s)", s.name, err, s.LogHint())
	}
	return nil
}

// Stop asks the init system to stop the service and waits until it has
// (cairn daemon flushes and unmounts first); it is not an error when it
// does not run.
func (s *Service) Stop() error {
	st, err := s.installed()
	if err != nil || st == Stopped || st == Failed {
		return err
	}
	return s.stop()
}

// Restart stops the service if it runs, then starts it.
func (s *Service) Restart() error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.Start()
}

func (s *Service) stop() error {
	if err := s.svc.Stop(); err != nil {
		return fmt.Errorf("stop service %s: %w (see %s)", s.name, err, s.LogHint())
	}
	return nil
}

// installed checks the caller may change the service and that it is
// installed, and tells its state.
func (s *Service) installed() (State, error) {
	if err := s.requireRoot(); err != nil {
		return NotInstalled, err
	}
	st, err := s.Status()
	if err != nil {
		return st, err
	}
	if st == NotInstalled {
		return st, fmt.Errorf("service %s: %w: install it with cairn service install --config FILE", s.name, ErrNotInstalled)
	}
	return st, nil
}

// systemdFailed is the service library's error for a unit in the failed
// state, which is installed and can be started again.
const systemdFailed = "service in failed state"

// Status tells whether the service is installed and runs.
func (s *Service) Status() (State, error) {
	st, err := s.svc.Status()
	switch {
	case err == nil && st == kservice.StatusRunning:
		return Running, nil
	case err == nil && st == kservice.StatusStopped:
		return Stopped, nil
	case errors.Is(err, kservice.ErrNotInstalled):
		return NotInstalled, nil
	case err != nil && s.Platform() == platformSystemd && err.Error() == systemdFailed:
		return Failed, nil
	case s.Platform() == platformSysV:
		// The library reads a stopped service's exit status as an error.
		return sysvStatus(s.name)
	case err == nil:
		return NotInstalled, fmt.Errorf("status of service %s: unknown", s.name)
	}
	return NotInstalled, fmt.Errorf("status of service %s: %w", s.name, err)
}

func (s *Service) requireRoot() error {
	if s.user || s.Platform() == platformWindows || isRoot() {
		return nil
	}
	return ErrNotRoot
}
