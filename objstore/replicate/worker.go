package replicate

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
)

// The worker's limits: how many due tasks it takes at a time, how many
// keys it replicates at once, how long one try may take.
const (
	batch       = 64
	workers     = 4
	taskTimeout = time.Hour
)

// run is the worker: it takes due tasks off the queue, a batch at a time, and
// the replicate-existing requests, until ctx ends.
func (r *Replicator) run(ctx context.Context) {
	defer close(r.done)
	for ctx.Err() == nil {
		r.takeRequests(ctx)
		due, next := r.queue.Due(time.Now(), batch)
		r.processAll(ctx, due)
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

// processAll carries out tasks, those of different keys side by side (up
// to workers at once), those of one key in order and only while the
// previous one succeeded.
func (r *Replicator) processAll(ctx context.Context, tasks []Task) {
	var order []string
	byKey := map[string][]Task{}
	for _, t := range tasks {
		k := t.Bucket + "/" + t.Key
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], t)
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, k := range order {
		sem <- struct{}{}
		wg.Add(1)
		go func(group []Task) {
			defer func() { <-sem; wg.Done() }()
			for _, t := range group {
				if ctx.Err() != nil || !r.process(ctx, t) {
					return
				}
			}
		}(byKey[k])
	}
	wg.Wait()
}

// process tries one task: done, it leaves the queue; failed, it is tried
// again later, its version marked FAILED meanwhile. It reports whether
// the task left the queue.
func (r *Replicator) process(ctx context.Context, t Task) bool {
	tctx, cancel := context.WithTimeout(ctx, taskTimeout)
	defer cancel()
	err := r.replicate(tctx, t)
	if ctx.Err() != nil {
		return false // stopping: the task stays queued as it was
	}
	var drop *dropError
	switch {
	case err == nil:
		if t.Attempts > 0 && t.Kind == KindVersion {
			r.publishVersion(ctx, t, events.ReplicationAfterThreshold)
		}
		err = r.finish(ctx, t, StatusCompleted)
	case errors.As(err, &drop):
		r.log.Info("replication: task dropped", "bucket", t.Bucket, "key", t.Key, "version", t.VersionID, "reason", drop.reason)
		err = r.finish(ctx, t, drop.status)
	}
	if err != nil {
		r.retry(ctx, t, err)
		return false
	}
	return true
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
func (r *Replicator) finish(ctx context.Context, t Task, status string) error {
	if t.Kind == KindVersion && status != keepStatus {
		err := r.setStatus(ctx, t.Bucket, t.Key, t.VersionID, status)
		if err != nil && !isGone(err) {
			return err
		}
	}
	return r.queue.Done(t)
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
		if err := r.finish(ctx, t, StatusFailed); err != nil {
			r.log.Error("replication: drop task", "err", err)
		}
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
