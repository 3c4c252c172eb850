package events

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
)

// receiver is a webhook endpoint that records what it takes and can be
// made to refuse.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	down     bool
	attempts int
	bodies   [][]byte
	headers  []http.Header
	got      chan struct{}
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{got: make(chan struct{}, 1000)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.attempts++
		if r.down {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		r.bodies = append(r.bodies, body)
		r.headers = append(r.headers, req.Header.Clone())
		r.got <- struct{}{}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

// wait waits for n more deliveries.
func (r *receiver) wait(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-r.got:
		case <-time.After(30 * time.Second):
			t.Fatalf("delivery did not arrive within 30 s")
		}
	}
}

func (r *receiver) records(t *testing.T) []Record {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Record
	for _, b := range r.bodies {
		var doc Records
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("delivered body %s: %v", b, err)
		}
		out = append(out, doc.Records...)
	}
	return out
}

// env is a disk engine with a bucket whose notifications go to a
// receiver, and the dispatcher over them.
type env struct {
	dir   string
	store *disk.Store
	hooks *Webhooks
	rcv   *receiver
}

func newEnv(t testing.TB, config string) *env {
	t.Helper()
	dir := t.TempDir()
	st, err := disk.Open(filepath.Join(dir, "data"), disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.CreateBucket(ctx, "bkt", objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBucketConfig(ctx, "bkt", ConfigName, wrapConfig(config)); err != nil {
		t.Fatal(err)
	}
	e := &env{dir: dir, store: st, hooks: OpenWebhooks(dir), rcv: newReceiver(t)}
	if err := e.hooks.Add("hook", Webhook{URL: e.rcv.URL, Secret: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) open(t testing.TB) *Dispatcher {
	t.Helper()
	d, err := Open(context.Background(), Options{
		Dir: filepath.Join(e.dir, "events"), Configs: e.store, Webhooks: e.hooks,
		RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestDeliversSignedRecordsInOrder(t *testing.T) {
	e := newEnv(t, queueConfig("cfg", "s3:ObjectCreated:*", "in/", ""))
	d := e.open(t)
	ctx := context.Background()
	for i := range 20 {
		d.Publish(ctx, Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "in/k", Size: int64(i)})
	}
	d.Publish(ctx, Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "out/k"})
	d.Publish(ctx, Event{Name: ObjectRemovedDelete, Bucket: "bkt", Key: "in/k"})
	e.rcv.wait(t, 20)
	recs := e.rcv.records(t)
	if len(recs) != 20 {
		t.Fatalf("%d records delivered, want the 20 the configuration takes", len(recs))
	}
	for i, r := range recs {
		if *r.S3.Object.Size != int64(i) {
			t.Fatalf("record %d has size %d: out of order", i, *r.S3.Object.Size)
		}
		if i > 0 && r.S3.Object.Sequencer <= recs[i-1].S3.Object.Sequencer {
			t.Errorf("sequencer %s after %s does not grow", r.S3.Object.Sequencer, recs[i-1].S3.Object.Sequencer)
		}
		if r.S3.ConfigurationID != "cfg" || r.EventName != "ObjectCreated:Put" {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	e.rcv.mu.Lock()
	defer e.rcv.mu.Unlock()
	for i, h := range e.rcv.headers {
		if got, want := h.Get(SignatureHeader), Sign("s3cret", e.rcv.bodies[i]); got != want {
			t.Errorf("signature %q, want %q", got, want)
		}
	}
}

func TestRetriesUntilTaken(t *testing.T) {
	e := newEnv(t, queueConfig("cfg", "s3:ObjectCreated:*", "", ""))
	e.rcv.setDown(true)
	d := e.open(t)
	d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "k"})
	for {
		e.rcv.mu.Lock()
		n := e.rcv.attempts
		e.rcv.mu.Unlock()
		if n >= 3 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.rcv.setDown(false)
	e.rcv.wait(t, 1)
	if recs := e.rcv.records(t); len(recs) != 1 || recs[0].S3.Object.Key != "k" {
		t.Fatalf("after refusals: %+v", recs)
	}
}

func TestQueueSurvivesReopen(t *testing.T) {
	e := newEnv(t, queueConfig("cfg", "s3:ObjectCreated:*", "", ""))
	e.rcv.setDown(true)
	d := e.open(t)
	for _, k := range []string{"a", "b", "c"} {
		d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: k})
	}
	if n, err := d.Pending(WebhookARN("hook")); err != nil || n != 3 {
		t.Fatalf("pending %d (%v), want 3 while the receiver is down", n, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	e.rcv.setDown(false)
	e.rcv.mu.Lock()
	before := e.rcv.attempts
	e.rcv.mu.Unlock()
	d = e.open(t)
	e.rcv.wait(t, 3)
	e.rcv.mu.Lock()
	if n := e.rcv.attempts - before; n != 3 {
		t.Errorf("%d attempts after reopening for 3 records: a record was sent more than once", n)
	}
	e.rcv.mu.Unlock()
	var got []string
	for _, r := range e.rcv.records(t) {
		got = append(got, r.S3.Object.Key)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Fatalf("after reopening delivered %v, want a,b,c", got)
	}
	d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "d"})
	e.rcv.wait(t, 1)
	recs := e.rcv.records(t)
	if last := recs[len(recs)-1].S3.Object.Sequencer; last <= recs[2].S3.Object.Sequencer {
		t.Errorf("sequencer after reopening %s is not above %s", last, recs[2].S3.Object.Sequencer)
	}
}

func TestUnregisteredTargetIsDropped(t *testing.T) {
	e := newEnv(t, `<QueueConfiguration><Queue>arn:cairn:webhook::gone</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>gone/</Value></FilterRule></S3Key></Filter></QueueConfiguration>`+
		queueConfig("cfg", "s3:ObjectCreated:*", "kept/", ""))
	d := e.open(t)
	d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "gone/x"})
	d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "kept/x"})
	e.rcv.wait(t, 1)
	for {
		n, err := d.Pending(WebhookARN("gone"))
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubscribersSeeTheirPrefix(t *testing.T) {
	e := newEnv(t, "")
	d := e.open(t)
	ch, cancel := d.Subscribe("bkt", "docs/")
	d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "img/x"})
	d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "other", Key: "docs/x"})
	d.Publish(context.Background(), Event{Name: ObjectRemovedDelete, Bucket: "bkt", Key: "docs/y"})
	got := <-ch
	if got.Key != "docs/y" || got.Name != ObjectRemovedDelete || got.Sequencer == "" {
		t.Errorf("subscriber got %+v, want the delete of docs/y", got)
	}
	cancel()
	if _, open := <-ch; open {
		t.Errorf("channel still open after cancel")
	}
	ch2, _ := d.Subscribe("bkt", "")
	d.Close()
	if _, open := <-ch2; open {
		t.Errorf("channel still open after Close")
	}
}

func TestSlowSubscriberIsCutOff(t *testing.T) {
	e := newEnv(t, "")
	d := e.open(t)
	ch, _ := d.Subscribe("bkt", "")
	for range subscriberBuffer + 1 {
		d.Publish(context.Background(), Event{Name: ObjectCreatedPut, Bucket: "bkt", Key: "k"})
	}
	n := 0
	for range ch {
		n++
	}
	if n != subscriberBuffer {
		t.Errorf("a reader that fell behind got %d events then a closed channel, want %d", n, subscriberBuffer)
	}
}
