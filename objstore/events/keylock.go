package events

import (
	"io"
	"sync"
)

// keyLocks serialize the changes of one key, so that its events are
// stamped in the order its changes were made.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// lock locks bucket/key and returns its unlock.
func (k *keyLocks) lock(bucket, key string) func() {
	name := bucket + "/" + key
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[name]
	if l == nil {
		l = &keyLock{}
		k.locks[name] = l
	}
	l.refs++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(k.locks, name)
		}
		k.mu.Unlock()
	}
}

// lockAtEnd is a request body that takes its key's lock once it has been
// read to its end (or failed): a slow upload does not hold back the
// key's other changes while it streams, yet its commit, which follows the
// end of its body, is ordered with theirs.
type lockAtEnd struct {
	r    io.Reader
	take func() func()

	mu     sync.Mutex
	done   bool
	unlock func()
}

// Read reads the body and takes the lock at its end.
func (b *lockAtEnd) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil {
		b.lockOnce()
	}
	return n, err
}

// lockOnce takes the lock unless it is held or the change is over.
func (b *lockAtEnd) lockOnce() {
	b.mu.Lock()
	if b.done || b.unlock != nil {
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	unlock := b.take()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done || b.unlock != nil {
		unlock()
		return
	}
	b.unlock = unlock
}

// release ends the change: the lock, if taken, is let go, and a read
// after it takes it no more.
func (b *lockAtEnd) release() {
	b.mu.Lock()
	b.done = true
	unlock := b.unlock
	b.unlock = nil
	b.mu.Unlock()
	if unlock != nil {
		unlock()
	}
}
