package s3api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Limits of the HTTP server against slow or hostile clients.
const (
	maxHeaderBytes    = 64 << 10
	readHeaderTimeout = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownGrace     = 10 * time.Second
)

// TLSFiles names a certificate and its key in PEM files.
type TLSFiles struct {
	CertFile, KeyFile string
}

// Serve answers S3 requests on ln until ctx ends, then stops taking new
// connections and lets requests in flight finish (for at most 10 s).
// With tls set it serves HTTPS.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tls *TLSFiles) error {
	hs := &http.Server{
		Handler:           s,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          nil,
	}
	done := make(chan error, 1)
	go func() {
		if tls != nil {
			done <- hs.ServeTLS(ln, tls.CertFile, tls.KeyFile)
			return
		}
		done <- hs.Serve(ln)
	}()
	select {
	case err := <-done:
		return fmt.Errorf("serve S3 on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("shut down S3 server on %s: %w", ln.Addr(), err)
	}
	return nil
}
