package replicate_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/events"
	"github.com/cairnfs/cairn/objstore/replicate"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// env is a disk store with a replicator over it.
type env struct {
	t    *testing.T
	dir  string
	disk *disk.Store
	rep  *replicate.Replicator
	st   objstore.Store
	ev   *recorder
}

// recorder keeps the events published to it.
type recorder struct {
	mu     sync.Mutex
	events []events.Event
}

func (r *recorder) Publish(_ context.Context, e events.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Name+" "+e.Bucket+"/"+e.Key)
	}
	return out
}

func newEnv(t *testing.T, buckets ...string) *env {
	t.Helper()
	dir := t.TempDir()
	d, err := disk.Open(dir, disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: dir, disk: d, ev: &recorder{}}
	ctx := context.Background()
	for _, b := range buckets {
		e.must(d.CreateBucket(ctx, b, objstore.CreateBucketOptions{}))
		e.must(d.PutBucketVersioning(ctx, b, objstore.VersioningEnabled))
	}
	e.start()
	t.Cleanup(func() { e.stop(); d.Close() })
	return e
}

func (e *env) start() {
	r, err := replicate.New(context.Background(), e.disk, replicate.Options{
		Dir: e.dir, Engine: e.disk, Events: e.ev, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Poll: 50 * time.Millisecond,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.rep, e.st = r, r.Store()
}

func (e *env) stop() {
	if e.rep != nil {
		e.must(e.rep.Close())
		e.rep = nil
	}
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) configure(bucket, doc string) {
	e.t.Helper()
	if _, err := replicate.Parse([]byte(doc), bucket); err != nil {
		e.t.Fatal(err)
	}
	e.must(e.disk.PutBucketConfig(context.Background(), bucket, replicate.ConfigName, []byte(doc)))
}

func (e *env) put(bucket, key, body string, meta objstore.ObjectMeta) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.st.PutObject(context.Background(), bucket, key, strings.NewReader(body), objstore.PutOptions{ObjectMeta: meta, Size: int64(len(body))})
	e.must(err)
	return info
}

// waitStatus polls a version until its replication status is want.
func (e *env) waitStatus(bucket, key, versionID, want string) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		info, err := e.disk.HeadObject(context.Background(), bucket, key, objstore.GetOptions{VersionID: versionID})
		e.must(err)
		if got = info.ReplicationStatus; got == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("%s/%s replication status %q, want %q", bucket, key, got, want)
}

func (e *env) read(st objstore.Store, bucket, key string) (objstore.ObjectInfo, string) {
	e.t.Helper()
	obj, err := st.GetObject(context.Background(), bucket, key, objstore.GetOptions{})
	e.must(err)
	defer obj.Body.Close()
	data, err := io.ReadAll(obj.Body)
	e.must(err)
	return obj.Info, string(data)
}

func rule(prefix, dest, extra string) string {
	return `<ReplicationConfiguration><Role>r</Role><Rule><ID>r1</ID><Priority>1</Priority><Status>Enabled</Status>
	<Filter><Prefix>` + prefix + `</Prefix></Filter><Destination><Bucket>` + dest + `</Bucket>` + extra + `</Destination>
	<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication></Rule></ReplicationConfiguration>`
}

func TestReplicatesToBucketOfSameStore(t *testing.T) {
	e := newEnv(t, "src", "dst")
	e.configure("src", rule("docs/", "arn:aws:s3:::dst", "<StorageClass>STANDARD_IA</StorageClass>"))
	meta := objstore.ObjectMeta{ContentType: "text/plain", UserMetadata: map[string]string{"owner": "ann"}, Tags: objstore.Tags{"team": "blue"}}
	info := e.put("src", "docs/a.txt", "hello", meta)
	if info.ReplicationStatus != replicate.StatusPending {
		t.Errorf("put answered status %q, want PENDING", info.ReplicationStatus)
	}
	other := e.put("src", "img/b.png", "png", objstore.ObjectMeta{})
	e.waitStatus("src", "docs/a.txt", info.VersionID, replicate.StatusCompleted)

	got, data := e.read(e.disk, "dst", "docs/a.txt")
	if data != "hello" || got.ContentType != "text/plain" || got.UserMetadata["owner"] != "ann" || got.Tags["team"] != "blue" {
		t.Errorf("replica = %q %+v", data, got.ObjectMeta)
	}
	if got.StorageClass != "STANDARD_IA" || got.ReplicationStatus != replicate.StatusReplica {
		t.Errorf("replica class %s status %s, want STANDARD_IA REPLICA", got.StorageClass, got.ReplicationStatus)
	}
	if h, _ := e.disk.HeadObject(context.Background(), "src", "img/b.png", objstore.GetOptions{VersionID: other.VersionID}); h.ReplicationStatus != "" {
		t.Errorf("a key no rule selects got status %q", h.ReplicationStatus)
	}
	if _, err := e.disk.HeadObject(context.Background(), "dst", "img/b.png", objstore.GetOptions{}); !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Errorf("a key no rule selects was replicated: %v", err)
	}

	// A delete marker is replicated; a delete by version ID is not.
	_, err := e.st.DeleteObject(context.Background(), "src", "docs/a.txt", objstore.DeleteOptions{})
	e.must(err)
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := e.disk.HeadObject(context.Background(), "dst", "docs/a.txt", objstore.GetOptions{})
		if errors.Is(err, objstore.ErrNoSuchKey) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delete marker not replicated: head dst = %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, err = e.st.DeleteObject(context.Background(), "src", "docs/a.txt", objstore.DeleteOptions{VersionID: info.VersionID})
	e.must(err)
	if _, err := e.disk.HeadObject(context.Background(), "dst", "docs/a.txt", objstore.GetOptions{VersionID: got.VersionID}); err != nil {
		t.Errorf("a delete by version ID reached the replica: %v", err)
	}
}

func TestMultipartUploadIsReplicatedAtComplete(t *testing.T) {
	e := newEnv(t, "src", "dst")
	e.configure("src", rule("", "arn:aws:s3:::dst", ""))
	ctx := context.Background()
	id, err := e.st.CreateMultipartUpload(ctx, "src", "big", objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{Tags: objstore.Tags{"k": "v"}}})
	e.must(err)
	part, err := e.st.UploadPart(ctx, "src", "big", id, 1, strings.NewReader("part one"), objstore.PartOptions{Size: 8})
	e.must(err)
	info, err := e.st.CompleteMultipartUpload(ctx, "src", "big", id, []objstore.CompletedPart{{PartNumber: 1, ETag: part.ETag}}, objstore.CompleteOptions{})
	e.must(err)
	if info.ReplicationStatus != replicate.StatusPending {
		t.Errorf("complete answered status %q, want PENDING", info.ReplicationStatus)
	}
	e.waitStatus("src", "big", info.VersionID, replicate.StatusCompleted)
	got, data := e.read(e.disk, "dst", "big")
	if data != "part one" || got.ETag != info.ETag || got.Tags["k"] != "v" || got.ReplicationStatus != replicate.StatusReplica {
		t.Errorf("replica of a multipart object: %q etag %s (source %s) tags %v status %s", data, got.ETag, info.ETag, got.Tags, got.ReplicationStatus)
	}
}

func TestVersioningCannotBeSuspendedUnderReplication(t *testing.T) {
	e := newEnv(t, "src", "dst")
	e.configure("src", rule("", "arn:aws:s3:::dst", ""))
	err := e.st.PutBucketVersioning(context.Background(), "src", objstore.VersioningSuspended)
	if !errors.Is(err, objstore.ErrInvalidRequest) {
		t.Fatalf("suspend versioning under replication: %v, want InvalidRequest", err)
	}
}

func TestRemoteTargetFailsThenCompletes(t *testing.T) {
	e := newEnv(t, "src")
	e.configure("src", rule("", "arn:cairn:s3:far::remote", ""))
	info := e.put("src", "k", "data", objstore.ObjectMeta{UserMetadata: map[string]string{"m": "1"}, Tags: objstore.Tags{"t": "x"}})
	// The target is not registered yet: the version fails, and is retried.
	e.waitStatus("src", "k", info.VersionID, replicate.StatusFailed)

	far, endpoint := newRemote(t)
	e.must(far.CreateBucket(context.Background(), "remote", objstore.CreateBucketOptions{}))
	e.must(far.PutBucketVersioning(context.Background(), "remote", objstore.VersioningEnabled))
	e.must(replicate.SetTarget(replicate.TargetsFile(e.dir), "far", replicate.RemoteTarget{Endpoint: endpoint, AccessKey: "AKFAR", SecretKey: "far-secret"}))
	e.waitStatus("src", "k", info.VersionID, replicate.StatusCompleted)

	got, data := e.read(far, "remote", "k")
	if data != "data" || got.UserMetadata["m"] != "1" || got.Tags["t"] != "x" {
		t.Errorf("remote replica = %q %+v", data, got.ObjectMeta)
	}
	want := []string{"s3:Replication:OperationFailedReplication src/k", "s3:Replication:OperationReplicatedAfterThreshold src/k"}
	if got := e.ev.names(); !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

func TestQueuedWorkSurvivesRestartAndExistingVersionsOnRequest(t *testing.T) {
	e := newEnv(t, "src", "dst")
	ctx := context.Background()
	old, err := e.disk.PutObject(ctx, "src", "old", strings.NewReader("before"), objstore.PutOptions{Size: 6})
	e.must(err)
	e.configure("src", rule("", "arn:cairn:s3:later::dst", ""))
	info := e.put("src", "new", "after", objstore.ObjectMeta{})
	e.stop()
	if _, err := e.disk.HeadObject(ctx, "dst", "new", objstore.GetOptions{}); err == nil {
		t.Fatal("replicated to a target that is not registered")
	}
	// The rule now points at this store; the queued version is still there.
	e.configure("src", rule("", "arn:aws:s3:::dst", ""))
	e.start()
	e.waitStatus("src", "new", info.VersionID, replicate.StatusCompleted)
	if _, err := e.disk.HeadObject(ctx, "dst", "old", objstore.GetOptions{}); err == nil {
		t.Fatal("an object older than the rules was replicated unasked")
	}
	id, err := replicate.RequestExisting(e.dir, "src")
	e.must(err)
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ans, err := replicate.WaitAnswer(wctx, e.dir, id)
	e.must(err)
	if ans.Queued != 1 || ans.Error != "" {
		t.Fatalf("replicate-existing answered %+v, want 1 queued", ans)
	}
	e.waitStatus("src", "old", old.VersionID, replicate.StatusCompleted)
	if _, data := e.read(e.disk, "dst", "old"); data != "before" {
		t.Errorf("existing object replica holds %q", data)
	}
}

// newRemote serves a second disk store over S3 on 127.0.0.1.
func newRemote(t *testing.T) (*disk.Store, string) {
	t.Helper()
	d, err := disk.Open(t.TempDir(), disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := s3api.New(d, s3api.Config{Root: s3api.Credential{AccessKey: "AKFAR", SecretKey: "far-secret"}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close(); d.Close() })
	return d, "http://" + ln.Addr().String()
}

func TestRetentionTravelsWithReplicas(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, b := range []string{"src", "dst"} {
		e.must(e.disk.CreateBucket(ctx, b, objstore.CreateBucketOptions{ObjectLockEnabled: true}))
	}
	far, endpoint := newRemote(t)
	e.must(far.CreateBucket(ctx, "remote", objstore.CreateBucketOptions{ObjectLockEnabled: true}))
	e.must(replicate.SetTarget(replicate.TargetsFile(e.dir), "far", replicate.RemoteTarget{Endpoint: endpoint, AccessKey: "AKFAR", SecretKey: "far-secret"}))
	e.configure("src", `<ReplicationConfiguration><Role>r</Role>
	<Rule><ID>here</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix>here/</Prefix></Filter>
	<Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>
	<Rule><ID>away</ID><Priority>2</Priority><Status>Enabled</Status><Filter><Prefix>away/</Prefix></Filter>
	<Destination><Bucket>arn:cairn:s3:far::remote</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>
	</ReplicationConfiguration>`)
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	lock := objstore.ObjectLock{Mode: objstore.LockGovernance, RetainUntil: until, LegalHold: true}
	for _, key := range []string{"here/a", "away/a"} {
		info, err := e.st.PutObject(ctx, "src", key, strings.NewReader("kept"), objstore.PutOptions{Size: 4, Lock: lock})
		e.must(err)
		e.waitStatus("src", key, info.VersionID, replicate.StatusCompleted)
	}
	for _, c := range []struct {
		st          objstore.Store
		bucket, key string
	}{{e.disk, "dst", "here/a"}, {far, "remote", "away/a"}} {
		got, err := c.st.HeadObject(ctx, c.bucket, c.key, objstore.GetOptions{})
		e.must(err)
		if got.Lock.Mode != objstore.LockGovernance || !got.Lock.RetainUntil.Equal(until) || !got.Lock.LegalHold {
			t.Errorf("%s/%s replica lock = %+v, want %+v", c.bucket, c.key, got.Lock, lock)
		}
	}
}
