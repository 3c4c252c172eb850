package disk

import (
	"hash/maphash"
	"sync"
)

// Lock stripes. Mutations of one key serialise on its key stripe; object
// mutations share their bucket's stripe (RLock) and DeleteBucket and
// PutBucketVersioning own it (Lock), so a bucket's emptiness and
// versioning state cannot change under a write.
const (
	keyStripes    = 1024
	bucketStripes = 64
)

type lockTable struct {
	seed    maphash.Seed
	keys    [keyStripes]sync.Mutex
	buckets [bucketStripes]sync.RWMutex
}

func newLockTable() *lockTable { return &lockTable{seed: maphash.MakeSeed()} }

func (t *lockTable) hash(bucket, key string) uint64 {
	var h maphash.Hash
	h.SetSeed(t.seed)
	h.WriteString(bucket)
	h.WriteByte(0)
	h.WriteString(key)
	return h.Sum64()
}

// bucket returns the lock of a bucket.
func (t *lockTable) bucket(bucket string) *sync.RWMutex {
	return &t.buckets[maphash.String(t.seed, bucket)%bucketStripes]
}

// lockKey locks a key for a mutation: its bucket shared, then the key.
// The returned func unlocks both.
func (t *lockTable) lockKey(bucket, key string) func() {
	b := t.bucket(bucket)
	k := &t.keys[t.hash(bucket, key)%keyStripes]
	b.RLock()
	k.Lock()
	return func() {
		k.Unlock()
		b.RUnlock()
	}
}

// lockBucket locks a bucket exclusively. The returned func unlocks it.
func (t *lockTable) lockBucket(bucket string) func() {
	b := t.bucket(bucket)
	b.Lock()
	return b.Unlock
}
