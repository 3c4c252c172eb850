package daemon

import (
	"log/slog"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore/s3api"
)

// env is what every unit shares: the stores, the logger, the metrics.
type env struct {
	stores  *stores
	data    string
	getenv  func(string) string
	log     *slog.Logger
	metrics *metrics
	// stopTimeout bounds how long a stopping sync lets its pass finish.
	stopTimeout time.Duration

	credMu sync.Mutex
	cred   *s3api.Credential
}

// rootCredential loads (on first use, generating it when the data
// directory has none) the credential every server of the daemon checks.
func (e *env) rootCredential() (s3api.Credential, error) {
	e.credMu.Lock()
	defer e.credMu.Unlock()
	if e.cred != nil {
		return *e.cred, nil
	}
	c, created, err := s3api.LoadRootCredential(e.data, e.getenv)
	if err != nil {
		return c, err
	}
	if created {
		e.log.Info("created the root credential", "file", e.data+"/root-credential.json", "access_key", c.AccessKey)
	}
	e.cred = &c
	return c, nil
}
