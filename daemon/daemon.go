package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/cairnfs/cairn/internal/sdnotify"
)

// DefaultStopTimeout bounds how long a stopping sync lets the pass in
// flight finish.
const DefaultStopTimeout = 30 * time.Second

// Options are what the command line adds to a config.
type Options struct {
	// Data is the data directory when the config names none.
	Data string
	// Metrics, when set, overrides the config's metrics address.
	Metrics string
	// Getenv reads the environment (credentials); default os.Getenv.
	Getenv func(string) string
	// Logger receives the daemon's logs; default slog.Default().
	Logger *slog.Logger
	// StopTimeout bounds a sync's last pass at stop; default 30s.
	StopTimeout time.Duration
}

// Daemon hosts the units of a config.
type Daemon struct {
	opts Options
	cfg  atomic.Pointer[Config]
	env  *env
	sup  *supervisor
	// stopUnits ends the context every unit runs in.
	stopUnits context.CancelFunc
	// socket and metrics are the addresses served, once Run started.
	socket     string
	metricsURL atomic.Pointer[string]
	internalS3 atomic.Pointer[string]
	// stopping is set once systemd was told the daemon stops.
	stopping atomic.Bool
}

// New prepares a daemon for cfg; Run starts it.
func New(cfg *Config, opts Options) (*Daemon, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.StopTimeout <= 0 {
		opts.StopTimeout = DefaultStopTimeout
	}
	if cfg.Data == "" {
		cfg.Data = opts.Data
	}
	if cfg.Data == "" {
		return nil, errors.New("no data directory: set data in the config")
	}
	data, err := filepath.Abs(cfg.Data)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", cfg.Data, err)
	}
	cfg.Data = data
	if cfg.Socket == "" {
		cfg.Socket = DefaultSocket(opts.Getenv, os.Getuid())
	}
	if opts.Metrics != "" {
		cfg.Metrics = opts.Metrics
	}
	d := &Daemon{opts: opts, socket: cfg.Socket}
	d.cfg.Store(cfg)
	stores := newStores(data, opts.Getenv, opts.Logger)
	stores.lifecycleDay = time.Duration(cfg.LifecycleDay)
	d.env = &env{
		stores: stores, data: data, getenv: opts.Getenv,
		log: opts.Logger, metrics: newMetrics(), stopTimeout: opts.StopTimeout,
	}
	var units context.Context
	units, d.stopUnits = context.WithCancel(context.Background())
	d.sup = newSupervisor(units, d.env)
	d.env.metrics.reg.MustRegister(&liveCollector{d: d})
	return d, nil
}

// Run starts the control socket, the metrics server and every unit, and
// serves until ctx ends; then it stops the units (syncs finish their pass
// in flight, mounts flush and unmount), and closes the stores. Under
// systemd (NOTIFY_SOCKET) it sends READY=1 once each unit came up or
// failed, STOPPING=1 when it begins to stop, and watchdog pings when the
// unit asks for them.
func (d *Daemon) Run(ctx context.Context) (err error) {
	ln, err := listenSocket(d.socket)
	if err != nil {
		return err
	}
	ctl := &http.Server{Handler: d.controlHandler(), ReadHeaderTimeout: 10 * time.Second}
	go ctl.Serve(ln)
	defer func() {
		ctl.Close()
		os.Remove(d.socket)
	}()
	cfg := d.cfg.Load()
	if cfg.Metrics != "" {
		addr, stop, err := serveMetrics(ctx, cfg.Metrics, d.env.metrics.reg, d.env.log)
		if err != nil {
			return err
		}
		defer stop()
		d.metricsURL.Store(&addr)
		d.env.log.Info("serving metrics", "url", "http://"+addr+"/metrics")
	}
	defer d.stopUnits()
	defer sdnotify.StartWatchdog()()
	internalDone := make(chan struct{})
	go func() { defer close(internalDone); d.serveInternal(d.sup.ctx) }()
	settled := d.sup.apply(cfg.specs())
	d.env.log.Info("daemon started", "config", cfg.Path, "socket", d.socket, "data", cfg.Data)
	d.notifyReady(ctx, settled, "")
	<-ctx.Done()
	d.notifyStopping()
	d.env.log.Info("stopping: flushing mounts and finishing sync passes")
	d.sup.shutdown()
	d.stopUnits()
	<-internalDone
	if err := d.env.stores.close(); err != nil {
		return err
	}
	d.env.log.Info("daemon stopped")
	return nil
}

// Reload reads the config file again and applies it: added units start,
// removed ones stop, changed ones restart, the others keep running. A
// config with mistakes changes nothing. The data directory, the socket
// and the metrics address keep their values until the daemon restarts.
// Under systemd it sends RELOADING=1, then READY=1 once the units it
// started came up or failed (or at once when the config is refused).
func (d *Daemon) Reload() error {
	if d.stopping.Load() {
		return errors.New("the daemon is stopping")
	}
	d.notified(sdnotify.Reloading())
	settled, err := d.reload()
	if err != nil {
		d.notifyReady(d.sup.ctx, nil, "reload refused: "+err.Error())
		return err
	}
	d.notifyReady(d.sup.ctx, settled, "")
	return nil
}

// reload applies the config file again and returns what apply does.
func (d *Daemon) reload() (<-chan struct{}, error) {
	old := d.cfg.Load()
	cfg, err := LoadConfig(old.Path)
	if err != nil {
		return nil, err
	}
	if cfg.Data == "" {
		cfg.Data = d.opts.Data
	}
	if abs, _ := filepath.Abs(cfg.Data); abs != old.Data {
		return nil, fmt.Errorf("%s: data changed from %s to %s: restart the daemon to change it", cfg.Path, old.Data, abs)
	}
	cfg.Data = old.Data
	if cfg.Socket != "" && cfg.Socket != old.Socket || cfg.Metrics != "" && d.opts.Metrics == "" && cfg.Metrics != old.Metrics {
		d.env.log.Warn("socket and metrics changes take effect when the daemon restarts")
	}
	cfg.Socket, cfg.Metrics = old.Socket, old.Metrics
	d.cfg.Store(cfg)
	settled := d.sup.apply(cfg.specs())
	d.env.log.Info("config reloaded", "config", cfg.Path)
	return settled, nil
}

// Status reports the daemon and each of its units.
func (d *Daemon) Status() Status {
	cfg := d.cfg.Load()
	st := Status{PID: os.Getpid(), Config: cfg.Path, Data: cfg.Data, Units: d.sup.units()}
	if a := d.internalS3.Load(); a != nil {
		st.S3Endpoint = *a
	}
	if a := d.metricsURL.Load(); a != nil {
		st.Metrics = *a
	}
	return st
}

// Pause stops the sync name, letting its pass in flight finish, until
// Resume.
func (d *Daemon) Pause(name string) error {
	if err := d.sup.hold(KindSync, name, StatePaused); err != nil {
		return err
	}
	d.env.log.Info("sync paused", "name", name)
	return nil
}

// Resume starts the paused sync name again.
func (d *Daemon) Resume(name string) error {
	if err := d.sup.resume(KindSync, name); err != nil {
		return err
	}
	d.env.log.Info("sync resumed", "name", name)
	return nil
}

// Unmount flushes and unmounts the mount on mountpoint and keeps it
// unmounted until a reload changes it or the daemon restarts.
func (d *Daemon) Unmount(mountpoint string) (string, error) {
	name, err := d.sup.mountAt(mountpoint)
	if err != nil {
		return "", err
	}
	if err := d.sup.hold(KindMount, name, StateUnmounted); err != nil {
		return "", err
	}
	d.env.log.Info("unmounted on request", "name", name, "mountpoint", mountpoint)
	return name, nil
}

// usesEmbedded tells whether a unit of cfg works on the embedded store.
func (c *Config) usesEmbedded() bool {
	if len(c.Servers) > 0 {
		return true
	}
	for _, m := range c.Mounts {
		if m.Endpoint == "" {
			return true
		}
	}
	for _, s := range c.Syncs {
		if s.Endpoint == "" {
			return true
		}
	}
	return false
}

// serveInternal serves the embedded store over S3 on a loopback port, for
// commands that find the data directory locked by this daemon, once the
// config uses the embedded store and it opens.
func (d *Daemon) serveInternal(ctx context.Context) {
	backoff := minBackoff
	for ctx.Err() == nil {
		if d.cfg.Load().usesEmbedded() {
			err := d.runInternal(ctx)
			if ctx.Err() != nil {
				return
			}
			d.env.log.Debug("internal S3 endpoint not up", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (d *Daemon) runInternal(ctx context.Context) error {
	u := &serverUnit{env: d.env, cfg: ServerConfig{Name: "internal", Listen: "127.0.0.1:0", Region: "us-east-1", Domains: []string{"localhost"}}}
	err := u.run(ctx, func() { d.internalS3.Store(u.addr.Load()) })
	d.internalS3.Store(nil)
	if err == nil {
		return errors.New("stopped")
	}
	return err
}
