package embedded

import (
	"context"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/events"
)

// TestChangesReachSubscribers writes through the embedded store as a
// mount or sync of the serving process does and checks that a subscriber
// sees each change, and that Close ends the subscription.
func TestChangesReachSubscribers(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateBucket(ctx, "photos", objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	ch, _ := st.Subscribe("photos", "2026/")
	for _, key := range []string{"2025/old.jpg", "2026/new.jpg"} {
		if _, err := st.PutObject(ctx, "photos", key, strings.NewReader("jpeg"), objstore.PutOptions{Size: 4}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Quiet().DeleteObject(ctx, "photos", "2026/new.jpg", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{events.ObjectCreatedPut, events.ObjectRemovedDelete} {
		if got := <-ch; got.Name != want || got.Key != "2026/new.jpg" || got.Size != map[string]int64{events.ObjectCreatedPut: 4}[want] {
			t.Errorf("subscriber got %s %s (%d bytes), want %s of 2026/new.jpg", got.Name, got.Key, got.Size, want)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if e, open := <-ch; open {
		t.Errorf("after Close the subscription still delivers %+v", e)
	}
}
