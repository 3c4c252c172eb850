package events

import (
	"log/slog"
	"slices"
	"testing"
)

// TestQueueKeepsEachTargetsOrder queues records for two targets, reopens
// the queue, and reads each target's back oldest first.
func TestQueueKeepsEachTargetsOrder(t *testing.T) {
	dir, log := t.TempDir(), slog.New(slog.DiscardHandler)
	q, last, err := openQueue(dir, log)
	if err != nil || last != 0 {
		t.Fatalf("new queue: last %d, %v", last, err)
	}
	for seq, target := range map[uint64]string{5: "arn:a", 7: "arn:b", 9: "arn:a", 300: "arn:a"} {
		if err := q.add(target, seq, []byte{byte(seq)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.close(); err != nil {
		t.Fatal(err)
	}
	q, last, err = openQueue(dir, log)
	if err != nil {
		t.Fatal(err)
	}
	defer q.close()
	if last == 0 {
		t.Errorf("the queue forgot its sequence")
	}
	targets, err := q.targets()
	if err != nil || !slices.Equal(targets, []string{"arn:a", "arn:b"}) {
		t.Fatalf("targets %v (%v), want arn:a and arn:b", targets, err)
	}
	var got []uint64
	for {
		e, err := q.first("arn:a")
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		if e.body[0] != byte(e.seq) {
			t.Errorf("entry %d holds the body of another", e.seq)
		}
		got = append(got, e.seq)
		if err := q.remove(e); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, []uint64{5, 9, 300}) {
		t.Errorf("arn:a read back %v, want 5 9 300", got)
	}
	if n, err := q.count("arn:b"); err != nil || n != 1 {
		t.Errorf("arn:b holds %d (%v), want 1", n, err)
	}
}
