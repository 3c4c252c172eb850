package lifecycle

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/events"
)

// testDay is the lifecycle day of the manager tests; the clock is moved
// by hand, so nothing waits for it.
const testDay = time.Hour

// recorder keeps the events published to it.
type recorder struct {
	mu    sync.Mutex
	names []string
}

func (r *recorder) Publish(_ context.Context, e events.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, e.Name+" "+e.Key)
}

func (r *recorder) has(name, key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.names {
		if n == name+" "+key {
			return true
		}
	}
	return false
}

// fixture is a disk engine with a Manager whose clock the test sets.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	disk   *disk.Store
	m      *Manager
	events *recorder
	start  time.Time
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	d, err := disk.Open(t.TempDir(), disk.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	f := &fixture{t: t, ctx: context.Background(), disk: d, events: &recorder{}, start: time.Now()}
	f.now = f.start
	f.m = New(Options{Engine: d, Day: testDay, Events: f.events, Now: func() time.Time { return f.now }})
	return f
}

func (f *fixture) bucket(name string, versioned bool, rules ...string) {
	f.t.Helper()
	if err := f.disk.CreateBucket(f.ctx, name, objstore.CreateBucketOptions{}); err != nil {
		f.t.Fatal(err)
	}
	if versioned {
		if err := f.disk.PutBucketVersioning(f.ctx, name, objstore.VersioningEnabled); err != nil {
			f.t.Fatal(err)
		}
	}
	if len(rules) > 0 {
		if err := f.disk.PutBucketConfig(f.ctx, name, ConfigName, []byte(doc(rules...))); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) put(bucket, key string, class objstore.StorageClass) objstore.ObjectInfo {
	f.t.Helper()
	opts := objstore.PutOptions{Size: 4, ObjectMeta: objstore.ObjectMeta{StorageClass: class}}
	info, err := f.disk.PutObject(f.ctx, bucket, key, strings.NewReader("data"), opts)
	if err != nil {
		f.t.Fatal(err)
	}
	return info
}

// scanAt moves the clock to days lifecycle days (and a minute, for the
// time the writes took) after the start and scans.
func (f *fixture) scanAt(days float64) {
	f.t.Helper()
	f.now = f.start.Add(time.Duration(days*float64(testDay)) + time.Minute)
	if err := f.m.Scan(f.ctx); err != nil {
		f.t.Fatalf("scan: %v", err)
	}
}

func (f *fixture) versions(bucket, prefix string) []objstore.ObjectInfo {
	f.t.Helper()
	res, err := f.disk.ListObjectVersions(f.ctx, bucket, objstore.ListVersionsOptions{Prefix: prefix})
	if err != nil {
		f.t.Fatal(err)
	}
	return res.Versions
}

func TestManagerExpiresAndCleansDeleteMarkers(t *testing.T) {
	f := newFixture(t)
	f.bucket("vers", true, rule("tmp", `<Expiration><Days>1</Days></Expiration>`))
	f.put("vers", "k", "")
	f.scanAt(0.5)
	if vs := f.versions("vers", ""); len(vs) != 1 || vs[0].DeleteMarker {
		t.Fatalf("expired before its day: %+v", vs)
	}
	f.scanAt(1.1)
	vs := f.versions("vers", "")
	if len(vs) != 2 || !vs[0].DeleteMarker || !vs[0].IsLatest {
		t.Fatalf("after a day, versions = %+v, want a delete marker over the version", vs)
	}
	if !f.events.has(EventExpirationMarkerCreated, "k") {
		t.Errorf("no %s event: %v", EventExpirationMarkerCreated, f.events.names)
	}
	if _, err := f.disk.DeleteObject(f.ctx, "vers", "k", objstore.DeleteOptions{VersionID: vs[1].VersionID}); err != nil {
		t.Fatal(err)
	}
	f.scanAt(3)
	if vs := f.versions("vers", ""); len(vs) != 0 {
		t.Errorf("expired delete marker left: %+v", vs)
	}
	if !f.events.has(EventExpirationDelete, "k") {
		t.Errorf("no %s event: %v", EventExpirationDelete, f.events.names)
	}
}

func TestManagerExpiresOnUnversionedBucket(t *testing.T) {
	f := newFixture(t)
	f.bucket("plain", false, `<Rule><ID>logs</ID><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter><Expiration><Days>2</Days></Expiration></Rule>`)
	f.put("plain", "logs/a", "")
	f.put("plain", "keep/a", "")
	f.scanAt(2)
	if _, err := f.disk.HeadObject(f.ctx, "plain", "logs/a", objstore.GetOptions{}); !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Errorf("logs/a after its days: %v", err)
	}
	if vs := f.versions("plain", ""); len(vs) != 1 || vs[0].Key != "keep/a" {
		t.Errorf("versions left = %+v, want keep/a alone", vs)
	}
}

func TestManagerNoncurrentKeepsNewest(t *testing.T) {
	f := newFixture(t)
	f.bucket("vers", true, rule("old", `<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>`))
	var ids []string
	for range 5 {
		ids = append(ids, f.put("vers", "k", "").VersionID)
	}
	held := f.put("vers", "held", "")
	f.put("vers", "held", "")
	if _, err := f.disk.UpdateVersion(f.ctx, "vers", "held", held.VersionID, func(v *objstore.ObjectInfo) error {
		v.Lock.LegalHold = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.scanAt(0.5)
	if n := len(f.versions("vers", "k")); n != 5 {
		t.Fatalf("%d versions before NoncurrentDays, want 5", n)
	}
	f.scanAt(2)
	var got []string
	for _, v := range f.versions("vers", "k") {
		got = append(got, v.VersionID)
	}
	if want := []string{ids[4], ids[3], ids[2]}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("versions left %v, want the current and 2 newest noncurrent %v", got, want)
	}
	if n := len(f.versions("vers", "held")); n != 2 {
		t.Errorf("a version under legal hold was deleted: %d left", n)
	}
}

func TestManagerTransitionsAndRestores(t *testing.T) {
	f := newFixture(t)
	f.bucket("arch", false, rule("cold", `<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>`))
	f.put("arch", "k", "")
	f.scanAt(1)
	info, err := f.disk.HeadObject(f.ctx, "arch", "k", objstore.GetOptions{})
	if err != nil || info.StorageClass != "GLACIER" {
		t.Fatalf("after a day: class %q, %v", info.StorageClass, err)
	}
	if !f.events.has(EventTransition, "k") {
		t.Errorf("no transition event: %v", f.events.names)
	}
	if _, err := f.disk.GetObject(f.ctx, "arch", "k", objstore.GetOptions{}); !errors.Is(err, objstore.ErrInvalidObjectState) {
		t.Fatalf("GET of a GLACIER version: %v", err)
	}
	restored, err := f.m.Restore(f.ctx, "arch", "k", "", 2, TierStandard)
	if err != nil || restored {
		t.Fatalf("restore: %v %v", restored, err)
	}
	if _, err := f.m.Restore(f.ctx, "arch", "k", "", 2, TierStandard); !errors.Is(err, ErrRestoreAlreadyInProgress) {
		t.Fatalf("second restore: %v", err)
	}
	if info, _ := f.disk.HeadObject(f.ctx, "arch", "k", objstore.GetOptions{}); info.Restore == nil || !info.Restore.Ongoing {
		t.Fatalf("restore state %+v, want ongoing", info.Restore)
	}
	f.scanAt(1.1) // Standard takes 5 of 24 hours of a day
	if _, err := f.disk.GetObject(f.ctx, "arch", "k", objstore.GetOptions{}); !errors.Is(err, objstore.ErrInvalidObjectState) {
		t.Fatalf("GET before the restore completed: %v", err)
	}
	f.scanAt(1.3)
	obj, err := f.disk.GetObject(f.ctx, "arch", "k", objstore.GetOptions{})
	if err != nil {
		t.Fatalf("GET after the restore: %v", err)
	}
	obj.Body.Close()
	if !f.events.has(EventRestorePost, "k") || !f.events.has(EventRestoreCompleted, "k") {
		t.Errorf("restore events missing: %v", f.events.names)
	}
	before, _ := f.disk.HeadObject(f.ctx, "arch", "k", objstore.GetOptions{})
	if restored, err := f.m.Restore(f.ctx, "arch", "k", "", 5, TierBulk); err != nil || !restored {
		t.Fatalf("restore of a restored version: %v %v", restored, err)
	}
	after, _ := f.disk.HeadObject(f.ctx, "arch", "k", objstore.GetOptions{})
	if !after.Restore.Expiry.After(before.Restore.Expiry) {
		t.Errorf("expiry %v not extended past %v", after.Restore.Expiry, before.Restore.Expiry)
	}
	f.scanAt(4) // past the first expiry, before the extended one
	if info, _ := f.disk.HeadObject(f.ctx, "arch", "k", objstore.GetOptions{}); info.Restore == nil {
		t.Fatal("the extended restored copy went at its first expiry")
	}
	f.scanAt(7)
	if info, _ := f.disk.HeadObject(f.ctx, "arch", "k", objstore.GetOptions{}); info.Restore != nil {
		t.Errorf("restored copy kept past its expiry: %+v", info.Restore)
	}
	if !f.events.has(EventRestoreDelete, "k") {
		t.Errorf("no %s event: %v", EventRestoreDelete, f.events.names)
	}
}

func TestManagerRestoreRefusesOtherClasses(t *testing.T) {
	f := newFixture(t)
	f.bucket("arch", false)
	f.put("arch", "ir", "GLACIER_IR")
	if _, err := f.m.Restore(f.ctx, "arch", "ir", "", 1, TierStandard); !errors.Is(err, objstore.ErrInvalidObjectState) {
		t.Errorf("restore of GLACIER_IR: %v", err)
	}
}

func TestManagerAbortsStaleUploads(t *testing.T) {
	f := newFixture(t)
	f.bucket("mpu", false, rule("mpu", `<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>`))
	if _, err := f.disk.CreateMultipartUpload(f.ctx, "mpu", "big", objstore.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	uploads := func() int {
		res, err := f.disk.ListMultipartUploads(f.ctx, "mpu", objstore.ListUploadsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Uploads)
	}
	f.scanAt(0.5)
	if uploads() != 1 {
		t.Fatal("upload aborted before its day")
	}
	f.scanAt(1.1)
	if n := uploads(); n != 0 {
		t.Errorf("%d uploads left after their day", n)
	}
}

// TestManagerRunWorksUntilCancelled runs the worker while requests come
// in, sees it apply a rule, and sees it stop when its context ends.
func TestManagerRunWorksUntilCancelled(t *testing.T) {
	f := newFixture(t)
	f.bucket("live", false, rule("tmp", `<Expiration><Days>1</Days></Expiration>`))
	f.bucket("arch", false)
	f.put("arch", "k", "GLACIER")
	f.put("live", "k", "")
	later := f.start.Add(2 * testDay)
	f.m.now = func() time.Time { return later }
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { f.m.Run(ctx); close(done) }()
	if _, err := f.m.Restore(f.ctx, "arch", "k", "", 1, TierExpedited); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := f.disk.HeadObject(f.ctx, "live", "k", objstore.GetOptions{})
		if errors.Is(err, objstore.ErrNoSuchKey) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker did not expire live/k within 30s: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
