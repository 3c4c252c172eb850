package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
)

// WebhookARNPrefix starts the ARN of a registered webhook:
// arn:cairn:webhook::NAME names the webhook registered as NAME.
const WebhookARNPrefix = "arn:cairn:webhook::"

// WebhooksFile is the file of a data directory that registers webhooks.
const WebhooksFile = "webhooks.json"

// Webhook is an HTTP endpoint that takes event records by POST.
type Webhook struct {
	URL string `json:"url"`
	// Secret, when set, signs every POST: X-Cairn-Signature is
	// "sha256=" and the hex HMAC-SHA256 of the body under it.
	Secret string `json:"secret,omitempty"`
}

// WebhookARN returns the ARN of the webhook registered as name.
func WebhookARN(name string) string { return WebhookARNPrefix + name }

// Webhooks is the webhook register of a data directory, a JSON file
// mapping names to webhooks. Lookups read the file again whenever it
// changed, so `cairn admin webhook add` takes effect on a running server.
type Webhooks struct {
	path string
	mu   sync.Mutex
	stat fileStamp
	hook map[string]Webhook
}

// fileStamp tells whether a file changed since it was read.
type fileStamp struct {
	size int64
	mod  time.Time
	ino  uint64
}

// OpenWebhooks returns the register of the data directory dir.
func OpenWebhooks(dir string) *Webhooks {
	return &Webhooks{path: filepath.Join(dir, WebhooksFile)}
}

// Lookup returns the webhook an ARN names, and whether it is registered.
func (w *Webhooks) Lookup(arn string) (Webhook, bool, error) {
	name, ok := strings.CutPrefix(arn, WebhookARNPrefix)
	if !ok {
		return Webhook{}, false, nil
	}
	all, err := w.List()
	if err != nil {
		return Webhook{}, false, err
	}
	h, ok := all[name]
	return h, ok, nil
}

// Check tells why an ARN cannot take events: not a webhook ARN, or no
// webhook registered under its name.
func (w *Webhooks) Check(arn string) error {
	if !strings.HasPrefix(arn, WebhookARNPrefix) {
		return fmt.Errorf("targets are webhooks named %sNAME", WebhookARNPrefix)
	}
	_, ok, err := w.Lookup(arn)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no webhook %q is registered (cairn admin webhook add)", strings.TrimPrefix(arn, WebhookARNPrefix))
	}
	return nil
}

// List returns every registered webhook by name.
func (w *Webhooks) List() (map[string]Webhook, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fi, err := os.Stat(w.path)
	if errors.Is(err, os.ErrNotExist) {
		w.hook, w.stat = nil, fileStamp{}
		return map[string]Webhook{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	st := fileStamp{size: fi.Size(), mod: fi.ModTime()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ino = uint64(sys.Ino)
	}
	if w.hook == nil || st != w.stat {
		hooks, err := readWebhooks(w.path)
		if err != nil {
			return nil, err
		}
		w.hook, w.stat = hooks, st
	}
	return maps.Clone(w.hook), nil
}

func readWebhooks(path string) (map[string]Webhook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	hooks := map[string]Webhook{}
	if err := json.Unmarshal(data, &hooks); err != nil {
		return nil, fmt.Errorf("webhooks %s: %w", path, err)
	}
	return hooks, nil
}

// Add registers (or replaces) the webhook called name.
func (w *Webhooks) Add(name string, h Webhook) error {
	if name == "" || strings.ContainsAny(name, ":/ ") {
		return fmt.Errorf("webhook name %q: use letters, digits, '-', '_' and '.'", name)
	}
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook URL %q: want http:// or https://HOST/…", h.URL)
	}
	return w.update(func(m map[string]Webhook) { m[name] = h })
}

// Remove unregisters the webhook called name; it reports whether there
// was one.
func (w *Webhooks) Remove(name string) (bool, error) {
	found := false
	err := w.update(func(m map[string]Webhook) {
		_, found = m[name]
		delete(m, name)
	})
	return found, err
}

// update rewrites the file atomically with change applied. Concurrent
// updates from two processes may lose one; registering is an
// administrator's occasional act.
func (w *Webhooks) update(change func(map[string]Webhook)) error {
	hooks, err := w.List()
	if err != nil {
		return err
	}
	change(hooks)
	data, err := json.MarshalIndent(hooks, "", "  ")
	if err != nil {
		return fmt.Errorf("encode webhooks: %w", err)
	}
	return atomicfile.WriteFile(w.path, append(data, '\n'), 0o600)
}
