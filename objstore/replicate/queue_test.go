package replicate

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestQueueSurvivesReopenInOrder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "queue")
	q, err := OpenQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	var added []Task
	for _, k := range []string{"c", "a", "b"} {
		tk, err := q.Add(Task{Kind: KindVersion, Bucket: "src", Key: k, VersionID: "v-" + k})
		if err != nil {
			t.Fatal(err)
		}
		if due, _ := q.Due(time.Now(), 10); len(due) != len(added) {
			t.Fatalf("a task was due before its release")
		}
		q.Release(tk)
		added = append(added, tk)
	}
	if err := q.Done(added[1]); err != nil {
		t.Fatal(err)
	}
	later := added[2]
	later.Attempts, later.NextTry, later.LastError = 1, time.Now().Add(time.Hour), "down"
	if err := q.Update(later); err != nil {
		t.Fatal(err)
	}
	// A temp file left by a crash mid-write is not a task.
	os.WriteFile(filepath.Join(dir, ".tmp-123"), []byte("{"), 0o600)

	q2, err := OpenQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	if q2.Len() != 2 {
		t.Fatalf("reopened queue holds %d tasks, want 2", q2.Len())
	}
	due, next := q2.Due(time.Now(), 10)
	if len(due) != 1 || due[0].Key != "c" || due[0].VersionID != "v-c" {
		t.Fatalf("due = %+v, want only c", due)
	}
	if !next.Equal(later.NextTry.Round(0)) && next.Sub(later.NextTry).Abs() > time.Millisecond {
		t.Errorf("next due at %v, want %v", next, later.NextTry)
	}
	if !q2.Has(KindVersion, "src", "b", "v-b") || q2.Has(KindVersion, "src", "a", "v-a") {
		t.Error("Has does not reflect the queue")
	}
	due, _ = q2.Due(time.Now().Add(2*time.Hour), 10)
	if len(due) != 2 || due[0].Key != "c" || due[1].Key != "b" || due[1].Attempts != 1 || due[1].LastError != "down" {
		t.Fatalf("due later = %+v, want c then b with its attempt", due)
	}
}

func TestQueueDueIsBounded(t *testing.T) {
	q, err := OpenQueue(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		tk, err := q.Add(Task{Kind: KindVersion, Bucket: "b", Key: "k"})
		if err != nil {
			t.Fatal(err)
		}
		q.Release(tk)
	}
	now := time.Now()
	due, next := q.Due(now, 3)
	if len(due) != 3 || !next.Equal(now) {
		t.Fatalf("Due(3) = %d tasks, next %v; want 3 and more due now", len(due), next)
	}
}

func TestBackoffDoublesUpToMax(t *testing.T) {
	r := &Replicator{o: Options{MinBackoff: time.Second, MaxBackoff: 10 * time.Second}}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := r.backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestTargetsFileIsPrivateAndReread(t *testing.T) {
	path := TargetsFile(t.TempDir())
	tg := NewTargets(path)
	if _, ok, err := tg.Get("far"); ok || err != nil {
		t.Fatalf("Get on no file = %v, %v", ok, err)
	}
	rt := RemoteTarget{Endpoint: "http://127.0.0.1:1", AccessKey: "ak", SecretKey: "sk"}
	if err := SetTarget(path, "far", rt); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("targets file mode %v, %v; want 0600", fi.Mode(), err)
	}
	if got, ok, err := tg.Get("far"); !ok || err != nil || got != rt {
		t.Fatalf("Get after add = %+v %v %v", got, ok, err)
	}
	if err := SetTarget(path, "bad name", rt); err == nil {
		t.Error("a target name with a space was accepted")
	}
	if err := RemoveTarget(path, "far"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := tg.Get("far"); ok {
		t.Error("removed target still served")
	}
}

func TestQueueKeepsKeyOrderBehindRetries(t *testing.T) {
	q, err := OpenQueue(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var first Task
	for i, tk := range []Task{{Kind: KindVersion, Bucket: "b", Key: "k", VersionID: "1"}, {Kind: KindDeleteMarker, Bucket: "b", Key: "k", VersionID: "2"}, {Kind: KindVersion, Bucket: "b", Key: "other", VersionID: "3"}} {
		tk, err := q.Add(tk)
		if err != nil {
			t.Fatal(err)
		}
		q.Release(tk)
		if i == 0 {
			first = tk
		}
	}
	first.Attempts, first.NextTry = 1, time.Now().Add(time.Hour)
	if err := q.Update(first); err != nil {
		t.Fatal(err)
	}
	due, _ := q.Due(time.Now(), 10)
	if len(due) != 1 || due[0].Key != "other" {
		t.Fatalf("due = %+v: a key's later task must wait behind its retried one", due)
	}
	due, _ = q.Due(time.Now().Add(2*time.Hour), 10)
	if len(due) != 3 || due[0].VersionID != "1" || due[1].VersionID != "2" {
		t.Fatalf("due later = %+v, want 1, 2, 3 in order", due)
	}
}

func TestHeldTaskIsDueAfterRestart(t *testing.T) {
	dir := t.TempDir()
	q, err := OpenQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Add(Task{Kind: KindVersion, Bucket: "b", Key: "k", VersionID: "1"}); err != nil {
		t.Fatal(err)
	}
	if due, _ := q.Due(time.Now(), 10); len(due) != 0 {
		t.Fatal("a held task was due")
	}
	// The process died before releasing it: the task is not lost.
	q2, err := OpenQueue(dir)
	if err != nil {
		t.Fatal(err)
	}
	if due, _ := q2.Due(time.Now(), 10); len(due) != 1 || due[0].VersionID != "1" {
		t.Fatalf("after a restart due = %+v, want the held task", due)
	}
}
