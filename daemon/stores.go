package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/embedded"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// stores opens each store once and shares it between the units that use
// it: the embedded store of the data directory, and one client per remote
// endpoint. They stay open until close.
type stores struct {
	data   string
	getenv func(string) string
	log    *slog.Logger
	// lifecycleDay is the embedded store's lifecycle day; 0 means 24 hours.
	lifecycleDay time.Duration

	mu       sync.Mutex
	embedded *embedded.Store
	changes  *fanout
	remotes  map[Remote]objstore.Store
}

func newStores(data string, getenv func(string) string, log *slog.Logger) *stores {
	return &stores{data: data, getenv: getenv, log: log, remotes: map[Remote]objstore.Store{}}
}

// get returns the store r names: the embedded one when r has no endpoint.
// Changes made through the embedded store are signalled to subscribers
// unless quiet (a sync writes quietly, so it does not wake itself).
func (s *stores) get(ctx context.Context, r Remote, quiet bool) (objstore.Store, error) {
	if r.Endpoint == "" {
		st, err := s.embeddedStore()
		if err != nil || !quiet {
			return st, err
		}
		return st.Quiet(), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.remotes[r]; ok {
		return st, nil
	}
	st, err := s3client.New(ctx, s3client.Options{
		Endpoint: r.Endpoint, Region: r.Region, Profile: r.Profile, CABundle: r.CABundle,
		AccessKey: s.getenv("CAIRN_ACCESS_KEY"), SecretKey: s.getenv("CAIRN_SECRET_KEY"),
	})
	if err != nil {
		return nil, fmt.Errorf("endpoint %s: %w", r.Endpoint, err)
	}
	s.remotes[r] = st
	return st, nil
}

// embeddedStore opens the data directory's store on first use.
func (s *stores) embeddedStore() (*embedded.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.embedded != nil {
		return s.embedded, nil
	}
	st, err := embedded.Open(context.Background(), embedded.Options{Dir: s.data, Logger: s.log, LifecycleDay: s.lifecycleDay})
	if errors.Is(err, disk.ErrLocked) {
		return nil, fmt.Errorf("data directory %s is in use by another cairn process", s.data)
	}
	if err != nil {
		return nil, err
	}
	s.embedded = st
	s.changes = newFanout(st.Changes())
	return st, nil
}

// subscribe returns a channel that fires when objects change through the
// embedded store, and what ends the subscription.
func (s *stores) subscribe() (<-chan struct{}, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changes == nil {
		return nil, func() {}
	}
	return s.changes.subscribe()
}

// close closes every store opened.
func (s *stores) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	if s.embedded != nil {
		s.changes.close()
		if err := s.embedded.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close data directory %s: %w", s.data, err))
		}
		s.embedded = nil
	}
	for r, st := range s.remotes {
		if err := st.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close endpoint %s: %w", r.Endpoint, err))
		}
	}
	s.remotes = map[Remote]objstore.Store{}
	return errors.Join(errs...)
}
