// Package events describes what happens to objects as S3 event records
// and carries them to the bucket's notification targets.
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
}

// Publisher takes events for delivery. Publish never blocks on delivery
// and never fails the change that caused the event.
type Publisher interface {
	Publish(ctx context.Context, e Event)
}
