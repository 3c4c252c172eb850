package replicate

import (
	"context"
	"errors"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
)

// batch is how many due tasks the worker takes at a time.
const batch = 64

// run is the worker: it takes due tasks off the queue, one at a time, and
// the replicate-existing requests, until ctx ends.
func (r *Replicator) run(ctx context.Context) {
	defer close(r.done)
	for ctx.Err() == nil {
		r.takeRequests(ctx)
		due, next := r.queue.Due(time.Now(), batch)
		for _, t := range due {
			if ctx.Err() != nil {
				return
			}
			r.process(ctx, t)
		}
		if len(due) > 0 {
			continue
		}
		wait := r.o.Poll
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), 0))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// process tries one task: done, it leaves the queue; failed, it is tried
// again later, its version marked FAILED meanwhile.
func (r *Replicator) process(ctx context.Context, t Task) {
	err := r.replicate(ctx, t)
	if ctx.Err() != nil {
		return // stopping: the task stays queued as it was
	}
	var drop *dropError
	switch {
	case err == nil:
		r.finish(ctx, t, StatusCompleted)
		if t.Attempts > 0 && t.Kind == KindVersion {
			r.publishVersion(ctx, t, events.ReplicationAfterThreshold)
		}
	case errors.As(err, &drop):
		r.log.Info("replication: task dropped", "bucket", t.Bucket, "key", t.Key, "version", t.VersionID, "reason", drop.reason)
		r.finish(ctx, t, drop.status)
	default:
		r.retry(ctx, t, err)
	}
}

// dropError ends a task that cannot and need not be retried, leaving its
// version with status (none when empty).
type dropError struct {
	reason string
	status string
}

func (e *dropError) Error() string { return e.reason }

// finish records a task's outcome on its version and takes it off the
// queue.
func (r *Replicator) finish(ctx context.Context, t Task, status string) {
	if t.Kind == KindVersion && status != keepStatus {
		err := r.setStatus(ctx, t.Bucket, t.Key, t.VersionID, status)
		if err != nil && !isGone(err) {
			r.log.Error("replication: record status", "err", err)
			return
		}
	}
	if err := r.queue.Done(t); err != nil {
		r.log.Error("replication: remove task", "err", err)
	}
}

// retry records a failed try: the version goes FAILED (once, with an
// s3:Replication:OperationFailedReplication event; a later success
// publishes s3:Replication:OperationReplicatedAfterThreshold) and the task waits
// for its next try, or is dropped after Options.GiveUp.
func (r *Replicator) retry(ctx context.Context, t Task, cause error) {
	r.log.Warn("replication failed", "bucket", t.Bucket, "key", t.Key, "version", t.VersionID, "attempt", t.Attempts+1, "err", cause)
	if t.Attempts == 0 && t.Kind == KindVersion {
		r.markFailed(ctx, t)
	}
	first, _ := taskTime(t.ID)
	if time.Since(first) > r.o.GiveUp {
		r.log.Error("replication: giving up", "bucket", t.Bucket, "key", t.Key, "version", t.VersionID, "err", cause)
		r.finish(ctx, t, StatusFailed)
		return
	}
	t.Attempts++
	t.LastError = cause.Error()
	t.NextTry = time.Now().Add(r.backoff(t.Attempts))
	if err := r.queue.Update(t); err != nil {
		r.log.Error("replication: reschedule task", "err", err)
	}
}

// markFailed sets a version FAILED and publishes the event.
func (r *Replicator) markFailed(ctx context.Context, t Task) {
	if err := r.setStatus(ctx, t.Bucket, t.Key, t.VersionID, StatusFailed); err != nil {
		r.log.Error("replication: record status", "err", err)
		return
	}
	r.publishVersion(ctx, t, events.ReplicationFailed)
}

// publishVersion publishes an event about the task's version.
func (r *Replicator) publishVersion(ctx context.Context, t Task, name string) {
	if r.o.Events == nil {
		return
	}
	info, err := r.inner.HeadObject(ctx, t.Bucket, t.Key, objstore.GetOptions{VersionID: t.VersionID})
	if err == nil {
		r.publish(ctx, name, info)
	}
}

// backoff is the wait after the n-th failed try.
func (r *Replicator) backoff(n int) time.Duration {
	d := r.o.MinBackoff
	for i := 1; i < n && d < r.o.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, r.o.MaxBackoff)
}

// taskTime is when a task was queued, from its ID.
func taskTime(id string) (time.Time, bool) {
	var n int64
	for _, c := range id {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		n = n*10 + int64(c-'0')
	}
	return time.Unix(0, n), true
}

// isGone tells whether err means the version no longer exists.
func isGone(err error) bool {
	return errors.Is(err, objstore.ErrNoSuchKey) || errors.Is(err, objstore.ErrNoSuchVersion) ||
		errors.Is(err, objstore.ErrNoSuchBucket) || errors.Is(err, objstore.ErrMethodNotAllowed)
}

// keepStatus, as a dropError's status, leaves the version's status as it is.
const keepStatus = "-"
