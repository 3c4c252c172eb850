package daemon

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/cairnfs/cairn/objstore/s3api"
)

// serverUnit serves the embedded store over S3, as cairn serve.
type serverUnit struct {
	env  *env
	cfg  ServerConfig
	addr atomic.Pointer[string] // the endpoint served, once listening
}

func newServerUnit(e *env, c ServerConfig) unit { return &serverUnit{env: e, cfg: c} }

func (u *serverUnit) run(ctx context.Context, ready func()) error {
	st, err := u.env.stores.embeddedStore()
	if err != nil {
		return err
	}
	root, err := u.env.rootCredential()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", u.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", u.cfg.Listen, err)
	}
	var tls *s3api.TLSFiles
	scheme := "http"
	if u.cfg.TLSCert != "" {
		scheme, tls = "https", &s3api.TLSFiles{CertFile: u.cfg.TLSCert, KeyFile: u.cfg.TLSKey}
	}
	srv := st.Server(s3api.Config{
		Region: u.cfg.Region, Domains: u.cfg.Domains, Root: root, Logger: u.env.log,
		Observe: func(op string, status int, d time.Duration) { u.env.metrics.observeS3(u.cfg.Name, op, status, d) },
	})
	endpoint := scheme + "://" + ln.Addr().String()
	u.addr.Store(&endpoint)
	defer u.addr.Store(nil)
	u.env.log.Info("serving S3", "server", u.cfg.Name, "endpoint", endpoint, "access_key", root.AccessKey)
	ready()
	return srv.Serve(ctx, ln, tls)
}

func (u *serverUnit) fill(st *UnitStatus) {
	if a := u.addr.Load(); a != nil {
		st.Where = *a
	}
}
