// Package events describes what happens to objects as S3 event records
// and carries them to the bucket's notification targets.
//
// A Store wrapper publishes an Event after every successful change made
// through it; the bucket features publish their own (lifecycle
// expirations, restores, replication failures) on the same Publisher. The
// Dispatcher matches each event against the bucket's notification
// configuration, queues one S3 event record per matching configuration
// durably on disk before the change's response returns, and POSTs them to
// the configured webhooks, retrying with backoff until each is taken: at
// least once, in order per target. In-process readers (mounts, syncs)
// Subscribe to the same events.
package events

import (
	"context"
	"time"
)

// Event is one thing that happened to an object, named as S3 names it
// ("s3:ObjectCreated:Put", "s3:ObjectRemoved:DeleteMarkerCreated",
// "s3:LifecycleExpiration:Delete", "s3:ObjectRestore:Completed", …).
type Event struct {
	Name      string
	Bucket    string
	Key       string
	Size      int64
	ETag      string
	VersionID string
	Time      time.Time
	// Principal, SourceIP and RequestID describe the request that caused
	// the event; empty for the store's own work (lifecycle, replication).
	Principal string
	SourceIP  string
	RequestID string
	// HostID is the x-amz-id-2 of the request's answer.
	HostID string
	// Region and OwnerID are the server's region and the bucket owner's
	// canonical ID; the Dispatcher's defaults when empty.
	Region  string
	OwnerID string
	// StorageClass and RestoreExpiry describe a restore (ObjectRestore
	// events): the object's class and when the restored copy expires.
	StorageClass  string
	RestoreExpiry time.Time
	// Sequencer orders the events of one key: the Dispatcher sets it, as a
	// fixed-width hex string that grows with every event it takes.
	Sequencer string
}

// Publisher takes events for delivery. Publish never blocks on delivery
// and never fails the change that caused the event.
type Publisher interface {
	Publish(ctx context.Context, e Event)
}
