package events

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestStorePublishesEveryChange(t *testing.T) {
	e := newEnv(t, "")
	d := e.open(t)
	st := Wrap(e.store, d)
	ch, _ := d.Subscribe("bkt", "")
	ctx := WithSource(context.Background(), Source{Principal: "AKID", SourceIP: "10.0.0.7", RequestID: "REQ1", Region: "eu-west-1"})
	put := func(key, body string) objstore.ObjectInfo {
		info, err := st.PutObject(ctx, "bkt", key, strings.NewReader(body), objstore.PutOptions{Size: int64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	put("a", "hello")
	if _, err := st.CopyObject(ctx, "bkt", "b", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "bkt", Key: "a"}}); err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateMultipartUpload(ctx, "bkt", "m", objstore.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	part, err := st.UploadPart(ctx, "bkt", "m", id, 1, bytes.NewReader([]byte("part")), objstore.PartOptions{Size: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CompleteMultipartUpload(ctx, "bkt", "m", id, []objstore.CompletedPart{{PartNumber: 1, ETag: part.ETag}}, objstore.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteObject(ctx, "bkt", "b", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBucketVersioning(ctx, "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	v2 := put("a", "again")
	marker, err := st.DeleteObject(ctx, "bkt", "a", objstore.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteObject(ctx, "bkt", "a", objstore.DeleteOptions{VersionID: v2.VersionID}); err != nil {
		t.Fatal(err)
	}
	// A failed change publishes nothing.
	if _, err := st.PutObject(ctx, "bkt", "a", strings.NewReader("x"), objstore.PutOptions{Size: 1, IfNoneMatch: "*", IfMatch: "nope"}); err == nil {
		t.Fatal("conditional put succeeded")
	}
	want := []struct{ name, key, version string }{
		{ObjectCreatedPut, "a", "null"},
		{ObjectCreatedCopy, "b", "null"},
		{ObjectCreatedCompleteMultipartUpload, "m", "null"},
		{ObjectRemovedDelete, "b", ""},
		{ObjectCreatedPut, "a", v2.VersionID},
		{ObjectRemovedDeleteMarkerCreated, "a", marker.VersionID},
		{ObjectRemovedDelete, "a", v2.VersionID},
	}
	for i, w := range want {
		got := <-ch
		if got.Name != w.name || got.Key != w.key || (w.version != "" && got.VersionID != w.version) {
			t.Errorf("event %d: %s %s %s, want %s %s %s", i, got.Name, got.Key, got.VersionID, w.name, w.key, w.version)
		}
		if got.Principal != "AKID" || got.SourceIP != "10.0.0.7" || got.RequestID != "REQ1" || got.Region != "eu-west-1" {
			t.Errorf("event %d does not describe its request: %+v", i, got)
		}
	}
	select {
	case got := <-ch:
		t.Errorf("unexpected event %+v", got)
	default:
	}
}

// BenchmarkPut measures what queuing a record durably adds to a small
// PUT: "plain" publishes to a bucket without notifications (nothing is
// queued), "notified" queues every PUT's record before it returns.
func BenchmarkPut(b *testing.B) {
	for _, mode := range []string{"plain", "notified"} {
		b.Run(mode, func(b *testing.B) {
			config := ""
			if mode == "notified" {
				config = queueConfig("cfg", "s3:ObjectCreated:*", "", "")
			}
			e := newEnv(b, config)
			e.rcv.setDown(true) // keep the records queued: measure the writes alone
			st := Wrap(e.store, e.open(b))
			b.SetParallelism(4)
			b.ResetTimer()
			var n atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					key := "k" + strconv.FormatInt(n.Add(1), 10)
					body := strings.NewReader("small object")
					if _, err := st.PutObject(context.Background(), "bkt", key, body, objstore.PutOptions{Size: 12}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// TestSlowUploadDoesNotHoldBackItsKey deletes a key while a PUT of it is
// still streaming: the delete goes through at once, and the events come
// in the order of the commits.
func TestSlowUploadDoesNotHoldBackItsKey(t *testing.T) {
	e := newEnv(t, "")
	d := e.open(t)
	st := Wrap(e.store, d)
	ch, _ := d.Subscribe("bkt", "")
	ctx := context.Background()
	pr, pw := io.Pipe()
	putDone := make(chan error, 1)
	go func() {
		_, err := st.PutObject(ctx, "bkt", "k", pr, objstore.PutOptions{Size: 5})
		putDone <- err
	}()
	if _, err := pw.Write([]byte("hel")); err != nil {
		t.Fatal(err)
	}
	delDone := make(chan error, 1)
	go func() {
		_, err := st.DeleteObject(ctx, "bkt", "k", objstore.DeleteOptions{})
		delDone <- err
	}()
	select {
	case err := <-delDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the delete waited for the upload of its key to finish")
	}
	pw.Write([]byte("lo"))
	pw.Close()
	if err := <-putDone; err != nil {
		t.Fatal(err)
	}
	first, second := <-ch, <-ch
	if first.Name != ObjectRemovedDelete || second.Name != ObjectCreatedPut || second.Sequencer <= first.Sequencer {
		t.Errorf("events %s (%s), %s (%s); want the delete, then the put with a higher sequencer",
			first.Name, first.Sequencer, second.Name, second.Sequencer)
	}
}
