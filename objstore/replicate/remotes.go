package replicate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore/s3client"
)

// remotes keeps one client per remote target, made again when the
// target's settings change.
type remotes struct {
	targets *Targets
	mu      sync.Mutex
	conns   map[string]remoteConn
	// checked holds when each remote destination was last seen versioned.
	checked map[Target]time.Time
}

// versionedFor is how long a remote destination seen versioned is not
// asked again.
const versionedFor = time.Minute

// checkVersioned runs check unless dst was seen versioned within
// versionedFor, and remembers a success.
func (m *remotes) checkVersioned(dst Target, check func() error) error {
	m.mu.Lock()
	at, ok := m.checked[dst]
	m.mu.Unlock()
	if ok && time.Since(at) < versionedFor {
		return nil
	}
	if err := check(); err != nil {
		return err
	}
	m.mu.Lock()
	if m.checked == nil {
		m.checked = map[Target]time.Time{}
	}
	m.checked[dst] = time.Now()
	m.mu.Unlock()
	return nil
}

type remoteConn struct {
	rt RemoteTarget
	st *s3client.Store
}

// get returns the client of the target called name.
func (m *remotes) get(ctx context.Context, name string) (*s3client.Store, error) {
	rt, ok, err := m.targets.Get(name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("replication target %q is not registered (cairn admin replication target add)", name)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.conns[name]; ok {
		if c.rt == rt {
			return c.st, nil
		}
		c.st.Close()
		delete(m.conns, name)
	}
	st, err := s3client.New(ctx, s3client.Options{
		Endpoint: rt.Endpoint, Region: rt.Region, AccessKey: rt.AccessKey, SecretKey: rt.SecretKey,
		MaxAttempts: 2,
	})
	if err != nil {
		return nil, fmt.Errorf("replication target %s: %w", name, err)
	}
	if m.conns == nil {
		m.conns = map[string]remoteConn{}
	}
	m.conns[name] = remoteConn{rt: rt, st: st}
	return st, nil
}

// close closes every client.
func (m *remotes) close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for _, c := range m.conns {
		errs = append(errs, c.st.Close())
	}
	m.conns = nil
	return errors.Join(errs...)
}
