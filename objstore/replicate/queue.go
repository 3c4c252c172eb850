package replicate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cairnfs/cairn/internal/atomicfile"
)

// Kinds of task.
const (
	KindVersion      = "version"       // copy a version
	KindDeleteMarker = "delete-marker" // add a delete marker at the destination
)

// Task is one version (or delete marker) waiting to be replicated.
type Task struct {
	// ID names the task's file; set by Queue.Add.
	ID        string    `json:"-"`
	Kind      string    `json:"kind"`
	Bucket    string    `json:"bucket"`
	Key       string    `json:"key"`
	VersionID string    `json:"versionId,omitempty"`
	Attempts  int       `json:"attempts,omitempty"`
	NextTry   time.Time `json:"nextTry,omitzero"`
	LastError string    `json:"lastError,omitempty"`
	// held keeps a task just added from being taken until Release.
	held bool
}

// Queue is a persistent queue of tasks: one file per task in a folder,
// written and removed durably, so that a crash or kill loses none and
// replays none that finished. Tasks come out in the order they went in.
type Queue struct {
	dir  string
	mu   sync.Mutex
	last int64
	// tasks holds every task by ID, as in the folder.
	tasks map[string]Task
}

// OpenQueue opens (creating it when missing) the queue in the folder dir.
func OpenQueue(dir string) (*Queue, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create queue %s: %w", dir, err)
	}
	q := &Queue{dir: dir, tasks: map[string]Task{}}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read queue %s: %w", dir, err)
	}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, atomicfile.TempPrefix) {
			os.Remove(filepath.Join(dir, name))
			continue
		}
		id, ok := strings.CutSuffix(name, ".json")
		if !ok {
			continue
		}
		t, err := q.read(id)
		if err != nil {
			return nil, err
		}
		q.tasks[id] = t
	}
	return q, nil
}

func (q *Queue) path(id string) string { return filepath.Join(q.dir, id+".json") }

// read loads the task of a file.
func (q *Queue) read(id string) (Task, error) {
	data, err := os.ReadFile(q.path(id))
	if err != nil {
		return Task{}, fmt.Errorf("read task %s: %w", id, err)
	}
	var t Task
	if err := json.Unmarshal(data, &t); err != nil {
		return Task{}, fmt.Errorf("decode task %s: %w", id, err)
	}
	t.ID = id
	return t, nil
}

// Add puts a task on the queue durably and returns it with its ID. The
// task is held: Due does not return it until Release, though after a
// restart it is due at once.
func (q *Queue) Add(t Task) (Task, error) {
	t.held = true
	q.mu.Lock()
	id := time.Now().UnixNano()
	if id <= q.last {
		id = q.last + 1
	}
	q.last = id
	q.mu.Unlock()
	t.ID = fmt.Sprintf("%020d", id)
	if err := q.write(t); err != nil {
		return Task{}, err
	}
	return t, nil
}

// Release lets Due return a task that Add held.
func (q *Queue) Release(t Task) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if cur, ok := q.tasks[t.ID]; ok {
		cur.held = false
		q.tasks[t.ID] = cur
	}
}

// Update rewrites a task that is on the queue (its attempts and next try).
func (q *Queue) Update(t Task) error {
	q.mu.Lock()
	cur, ok := q.tasks[t.ID]
	q.mu.Unlock()
	if !ok {
		return fmt.Errorf("task %s is not queued", t.ID)
	}
	t.held = cur.held
	return q.write(t)
}

// write stores a task's file and indexes it.
func (q *Queue) write(t Task) error {
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode task: %w", err)
	}
	if err := atomicfile.WriteFile(q.path(t.ID), data, 0o600); err != nil {
		return fmt.Errorf("queue task: %w", err)
	}
	q.mu.Lock()
	q.tasks[t.ID] = t
	q.mu.Unlock()
	return nil
}

// Done removes a task from the queue durably.
func (q *Queue) Done(t Task) error {
	if err := os.Remove(q.path(t.ID)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove task %s: %w", t.ID, err)
	}
	q.mu.Lock()
	delete(q.tasks, t.ID)
	q.mu.Unlock()
	return atomicfile.SyncDir(q.dir)
}

// Due returns up to max tasks whose next try is not after now, oldest
// first, and the time the next of the others is due (zero when none). A
// task waits behind an older one of the same key that is not due yet, so
// that a key's versions and delete markers reach the destination in the
// order they were made.
func (q *Queue) Due(now time.Time, max int) ([]Task, time.Time) {
	q.mu.Lock()
	all := make([]Task, 0, len(q.tasks))
	for _, t := range q.tasks {
		all = append(all, t)
	}
	q.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	var due []Task
	var next time.Time
	waiting := map[string]bool{}
	for _, t := range all {
		k := t.Bucket + "/" + t.Key
		if t.held {
			waiting[k] = true
			continue
		}
		if t.NextTry.After(now) {
			if next.IsZero() || t.NextTry.Before(next) {
				next = t.NextTry
			}
			waiting[k] = true
			continue
		}
		if waiting[k] {
			continue
		}
		if len(due) == max {
			return due, now
		}
		due = append(due, t)
	}
	return due, next
}

// Len is the number of tasks on the queue.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.tasks)
}

// Has tells whether a task for this version of bucket/key is queued.
func (q *Queue) Has(kind, bucket, key, versionID string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, t := range q.tasks {
		if t.Kind == kind && t.Bucket == bucket && t.Key == key && t.VersionID == versionID {
			return true
		}
	}
	return false
}
