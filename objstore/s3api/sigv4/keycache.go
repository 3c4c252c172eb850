package sigv4

import (
	"sync"
	"time"
)

// keyCache remembers derived signing keys: deriving one takes four
// HMAC-SHA256 rounds, and a client signs every request of a day with the
// same key. The zero value is ready; it forgets everything when it grows
// past maxCachedKeys.
type keyCache struct {
	mu   sync.Mutex
	keys map[string][]byte
}

const maxCachedKeys = 1024

// get returns the signing key of a secret, date and region.
func (c *keyCache) get(secret string, t time.Time, region string) []byte {
	id := secret + "\x00" + t.UTC().Format(dateFormat) + "\x00" + region
	c.mu.Lock()
	k, ok := c.keys[id]
	c.mu.Unlock()
	if ok {
		return k
	}
	k = signingKey(secret, t, region)
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = map[string][]byte{}
	}
	c.keys[id] = k
	c.mu.Unlock()
	return k
}
