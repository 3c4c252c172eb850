package s3client

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cairnfs/cairn/objstore"
)

// Store is an objstore.Store over an S3 endpoint. It is safe for
// concurrent use.
type Store struct {
	client *s3.Client
	// idle closes the idle connections of the HTTP client the store
	// built; nil when the caller gave one.
	idle    func()
	tempDir string
	// plainHTTP tells that requests go without TLS, where the SDK cannot
	// send a checksum as a trailer.
	plainHTTP bool
	// unsigned sends every body as UNSIGNED-PAYLOAD (Options.UnsignedPayload).
	unsigned bool
	closed   atomic.Bool
}

var _ objstore.Store = (*Store)(nil)

// New returns a store that speaks to the S3 endpoint opts describe. It
// resolves credentials and region but sends no request: a wrong endpoint
// or key shows on the first call.
func New(ctx context.Context, opts Options) (*Store, error) {
	cfg, err := sdkConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	st := &Store{
		client:    s3.NewFromConfig(cfg, s3Options(opts)),
		tempDir:   opts.TempDir,
		plainHTTP: strings.HasPrefix(strings.ToLower(opts.Endpoint), "http://"),
		unsigned:  opts.UnsignedPayload || loopback(opts.Endpoint),
	}
	if c, ok := cfg.HTTPClient.(*http.Client); ok && opts.HTTPClient == nil {
		st.idle = c.CloseIdleConnections
	}
	return st, nil
}

// loopback tells whether endpoint names this machine (localhost or a
// loopback address): there no one stands between the client and the
// server whom a signed payload hash would stop, so bodies go unsigned
// and are read once.
func loopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Close releases the store's idle connections (those of its own HTTP
// client, not of one given in Options). Calls after Close fail with
// objstore.ErrStoreClosed; closing twice is harmless.
func (s *Store) Close() error {
	s.closed.Store(true)
	if s.idle != nil {
		s.idle()
	}
	return nil
}

// check fails a call named name on a closed store.
func (s *Store) check(name string) error {
	if s.closed.Load() {
		return closedErr(name)
	}
	return nil
}

// checkObject fails a call on an object of a closed store, or on a key S3
// refuses (empty, over 1024 bytes, not UTF-8) before any request: the SDK
// cannot even send an empty one.
func (s *Store) checkObject(o op) error {
	if err := s.check(o.name); err != nil {
		return err
	}
	if err := objstore.ValidateKey(o.key); err != nil {
		return o.wrap(err)
	}
	return nil
}
