package replicate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
	"github.com/cairnfs/cairn/objstore"
)

// QueueExisting queues every version of bucket that a rule selects and
// that has not been replicated (no status, or FAILED), oldest first within
// each key so that the destination's current version ends up the
// source's. It returns how many it queued.
func (r *Replicator) QueueExisting(ctx context.Context, bucket string) (int, error) {
	cfg, err := r.config(ctx, bucket)
	if err != nil {
		return 0, err
	}
	if cfg == nil {
		return 0, fmt.Errorf("bucket %s has no replication configuration", bucket)
	}
	n := 0
	var key string
	var group []objstore.ObjectInfo
	flush := func() error {
		slices.Reverse(group)
		for _, v := range group {
			if r.queue.Has(KindVersion, bucket, v.Key, v.VersionID) {
				continue
			}
			if err := r.enqueue(ctx, Task{Kind: KindVersion, Bucket: bucket, Key: v.Key, VersionID: v.VersionID}); err != nil {
				return err
			}
			n++
		}
		group = group[:0]
		return nil
	}
	err = r.eachVersion(ctx, bucket, func(v objstore.ObjectInfo) error {
		if v.Key != key {
			if err := flush(); err != nil {
				return err
			}
			key = v.Key
		}
		if wantsReplication(cfg, v) {
			group = append(group, v)
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return n, err
}

// wantsReplication tells whether an existing version is to be queued.
func wantsReplication(cfg *Config, v objstore.ObjectInfo) bool {
	if v.DeleteMarker || v.VersionID == "" || v.VersionID == objstore.NullVersionID {
		return false
	}
	if v.ReplicationStatus != "" && v.ReplicationStatus != StatusFailed {
		return false
	}
	return cfg.Match(v.Key, v.Tags) != nil
}

// eachVersion calls fn on every version of bucket in listing order. The
// listing carries no tags, so each version that may match is read.
func (r *Replicator) eachVersion(ctx context.Context, bucket string, fn func(objstore.ObjectInfo) error) error {
	opts := objstore.ListVersionsOptions{}
	for {
		page, err := r.inner.ListObjectVersions(ctx, bucket, opts)
		if err != nil {
			return fmt.Errorf("list versions of %s: %w", bucket, err)
		}
		for _, v := range page.Versions {
			if !v.DeleteMarker {
				full, err := r.inner.HeadObject(ctx, bucket, v.Key, objstore.GetOptions{VersionID: v.VersionID})
				if err != nil {
					return fmt.Errorf("read %s/%s version %s: %w", bucket, v.Key, v.VersionID, err)
				}
				v = full
			}
			if err := fn(v); err != nil {
				return err
			}
		}
		if !page.IsTruncated {
			return nil
		}
		opts.KeyMarker, opts.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
}

// Request is a replicate-existing request left for the process that
// holds the data directory.
type Request struct {
	Bucket string `json:"bucket"`
}

// Answer is what the worker leaves for a request once it took it.
type Answer struct {
	Queued int    `json:"queued"`
	Error  string `json:"error,omitempty"`
}

// requestsDir is the folder of requests and answers.
func requestsDir(dataDir string) string { return filepath.Join(dataDir, "replication", "requests") }

// RequestExisting leaves a replicate-existing request for bucket in the
// data directory, for the process that holds it, and returns its ID.
func RequestExisting(dataDir, bucket string) (string, error) {
	id := fmt.Sprintf("%020d", time.Now().UnixNano())
	data, err := json.Marshal(Request{Bucket: bucket})
	if err != nil {
		return "", fmt.Errorf("encode request: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(requestsDir(dataDir), id+".req"), data, 0o600); err != nil {
		return "", err
	}
	return id, nil
}

// WaitAnswer waits for the answer to request id until ctx ends, and
// removes it.
func WaitAnswer(ctx context.Context, dataDir, id string) (Answer, error) {
	path := filepath.Join(requestsDir(dataDir), id+".done")
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			os.Remove(path)
			var a Answer
			if err := json.Unmarshal(data, &a); err != nil {
				return Answer{}, fmt.Errorf("decode %s: %w", path, err)
			}
			return a, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return Answer{}, fmt.Errorf("read %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			return Answer{}, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// takeRequests carries out the replicate-existing requests left in the
// data directory and answers each.
func (r *Replicator) takeRequests(ctx context.Context) {
	dir := requestsDir(r.o.Dir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".done") {
			removeStale(filepath.Join(dir, e.Name()))
		}
		id, ok := strings.CutSuffix(e.Name(), ".req")
		if !ok || ctx.Err() != nil {
			continue
		}
		a := r.answer(ctx, filepath.Join(dir, e.Name()))
		data, _ := json.Marshal(a)
		if err := atomicfile.WriteFile(filepath.Join(dir, id+".done"), data, 0o600); err != nil {
			r.log.Error("replication: answer request", "err", err)
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			r.log.Error("replication: remove request", "err", err)
		}
	}
}

// answer carries out one request.
func (r *Replicator) answer(ctx context.Context, path string) Answer {
	data, err := os.ReadFile(path)
	var rq Request
	if err == nil {
		err = json.Unmarshal(data, &rq)
	}
	if err != nil {
		return Answer{Error: fmt.Sprintf("read request %s: %v", path, err)}
	}
	n, err := r.QueueExisting(ctx, rq.Bucket)
	r.log.Info("replication: existing versions queued", "bucket", rq.Bucket, "count", n, "err", err)
	if err != nil {
		return Answer{Queued: n, Error: err.Error()}
	}
	return Answer{Queued: n}
}

// staleAnswer is how long an answer nobody read is kept.
const staleAnswer = time.Hour

// removeStale removes an answer older than staleAnswer: the command that
// asked gave up waiting for it.
func removeStale(path string) {
	if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > staleAnswer {
		os.Remove(path)
	}
}
