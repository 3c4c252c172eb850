package s3api

import (
	"fmt"
	"sync"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/policy"
)

// maxCachedPolicies bounds the policies a server keeps parsed: one per
// bucket, for this many buckets.
const maxCachedPolicies = 1024

// policyCache keeps each bucket's policy parsed, with the document it was
// parsed from. A request reuses it only when the bucket's stored document
// is byte for byte the same, so a changed or removed policy takes effect
// on the next request: the cache saves parsing, never a read.
type policyCache struct {
	mu      sync.Mutex
	entries map[string]*cachedPolicy
}

// cachedPolicy is one bucket's parsed policy.
type cachedPolicy struct {
	doc    string
	policy *policy.Policy
	public bool
}

// parse returns the policy doc of bucket and whether it is public,
// parsing it only when the cache holds another document for the bucket.
// A parsed policy is only read afterwards, so requests share it.
func (c *policyCache) parse(bucket string, doc []byte) (*policy.Policy, bool, error) {
	c.mu.Lock()
	e, ok := c.entries[bucket]
	c.mu.Unlock()
	if ok && e.doc == string(doc) {
		return e.policy, e.public, nil
	}
	p, err := policy.ParseBucket(doc, bucket)
	if err != nil {
		return nil, false, fmt.Errorf("stored policy of bucket %s: %v: %w", bucket, err, objstore.ErrInternal)
	}
	e = &cachedPolicy{doc: string(doc), policy: p, public: p.IsPublic()}
	c.put(bucket, e)
	return e.policy, e.public, nil
}

// put keeps e for bucket, making room by dropping another bucket's
// entry when the cache is full.
func (c *policyCache) put(bucket string, e *cachedPolicy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cachedPolicy{}
	}
	if _, ok := c.entries[bucket]; !ok && len(c.entries) >= maxCachedPolicies {
		for b := range c.entries {
			delete(c.entries, b)
			break
		}
	}
	c.entries[bucket] = e
}
