package lifecycle

import (
	"context"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

// configCache keeps the parsed configuration of each bucket next to the
// document it came from, so reads that report x-amz-expiration do not
// parse the same document again.
type configCache struct {
	mu      sync.Mutex
	buckets map[string]cachedConfig
}

type cachedConfig struct {
	doc string
	cfg *Configuration
}

// get returns the parsed doc, parsing it when it changed.
func (c *configCache) get(bucket string, doc []byte) (*Configuration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.buckets[bucket]; ok && e.doc == string(doc) {
		return e.cfg, nil
	}
	cfg, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	if c.buckets == nil {
		c.buckets = map[string]cachedConfig{}
	}
	c.buckets[bucket] = cachedConfig{doc: string(doc), cfg: cfg}
	return cfg, nil
}

// Config returns the bucket's lifecycle configuration, or nil when it has
// none.
func (m *Manager) Config(ctx context.Context, bucket string) (*Configuration, error) {
	doc, ok, err := m.engine.GetBucketConfig(ctx, bucket, ConfigName)
	if err != nil || !ok {
		return nil, err
	}
	return m.cache.get(bucket, doc)
}

// Expiration tells when the bucket's rules will expire the version info
// describes, and by which rule; ok is false when none will, or when info
// is not a current version. It is what x-amz-expiration reports.
func (m *Manager) Expiration(ctx context.Context, bucket string, info *objstore.ObjectInfo) (at time.Time, ruleID string, ok bool) {
	if info.DeleteMarker || !info.IsLatest {
		return at, "", false
	}
	cfg, err := m.Config(ctx, bucket)
	if err != nil || cfg == nil {
		return at, "", false
	}
	v := Version{Key: info.Key, Size: info.Size, Tags: info.Tags, LastModified: info.LastModified, IsLatest: true}
	return cfg.Expiration(v, m.day)
}
