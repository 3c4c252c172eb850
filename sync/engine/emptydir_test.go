package engine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
	"github.com/cairnfs/cairn/sync/state"
)

// mkdir makes the local directory rel (and its parents) with perm.
func (s *side) mkdir(rel string, perm os.FileMode) {
	s.t.Helper()
	p := filepath.Join(s.root, rel)
	if err := os.MkdirAll(p, 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil {
		s.t.Fatal(err)
	}
}

// rm removes the local path rel and everything below it.
func (s *side) rm(rel string) {
	s.t.Helper()
	if err := os.RemoveAll(filepath.Join(s.root, rel)); err != nil {
		s.t.Fatal(err)
	}
}

// isDir tells whether the local path rel is a directory.
func (s *side) isDir(rel string) bool {
	fi, err := os.Lstat(filepath.Join(s.root, rel))
	return err == nil && fi.IsDir()
}

// perm returns the permission bits of the local path rel.
func (s *side) perm(rel string) os.FileMode {
	s.t.Helper()
	fi, err := os.Lstat(filepath.Join(s.root, rel))
	if err != nil {
		s.t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// marker returns the metadata of the marker data/rel/, and whether it is
// current.
func (f *fixture) marker(rel string) (objstore.ObjectInfo, bool) {
	info, err := f.store.HeadObject(context.Background(), "bkt", "data/"+rel+"/", objstore.GetOptions{})
	return info, err == nil
}

// putMarker writes the marker data/rel/ as the mount's mkdir does.
func (f *fixture) putMarker(rel string, perm uint32) {
	f.t.Helper()
	meta := fsmeta.Attrs{Mode: syscall.S_IFDIR | perm, Mtime: time.Unix(1700000000, 0)}.Metadata()
	po := objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{ContentType: fsmeta.DirContentType, UserMetadata: meta}}
	if _, err := f.store.PutObject(context.Background(), "bkt", "data/"+rel+"/", bytes.NewReader(nil), po); err != nil {
		f.t.Fatal(err)
	}
}

// wantMarkers fails unless exactly the listed directories have a current
// marker.
func (f *fixture) wantMarkers(want ...string) {
	f.t.Helper()
	res, err := f.store.ListObjects(context.Background(), "bkt", objstore.ListOptions{Prefix: "data/"})
	if err != nil {
		f.t.Fatal(err)
	}
	var got []string
	for _, o := range res.Objects {
		if rel := o.Key[len("data/"):]; path.Clean(rel)+"/" == rel {
			got = append(got, rel[:len(rel)-1])
		}
	}
	if len(got) != len(want) {
		f.t.Fatalf("markers %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			f.t.Fatalf("markers %q, want %q", got, want)
		}
	}
}

func TestEmptyDirsCarriedBothWays(t *testing.T) {
	f := newFixture(t)
	a, b := f.side(TwoWay), f.side(TwoWay)
	a.mkdir("empty", 0o700)
	a.mkdir("p/q", 0o750)
	a.write("full/f.txt", "a file keeps its directory")
	if s := a.pass(); s.Uploaded != 3 {
		t.Fatalf("first pass: %s", s)
	}
	// Only the empty directories need a marker.
	f.wantMarkers("empty", "p/q")
	info, _ := f.marker("empty")
	if info.ContentType != fsmeta.DirContentType || info.Size != 0 {
		t.Fatalf("marker: content type %q, size %d", info.ContentType, info.Size)
	}
	if m := info.UserMetadata[fsmeta.Mode]; m != strconv.Itoa(syscall.S_IFDIR|0o700) {
		t.Fatalf("marker mode %s, want a directory's 0700", m)
	}
	b.pass()
	if !b.isDir("empty") || !b.isDir("p/q") || b.perm("empty") != 0o700 || b.perm("p/q") != 0o750 {
		t.Fatal("empty directories not made on the other side with their modes")
	}
	// A marker written remotely (the mount's mkdir) becomes a directory.
	f.putMarker("made/remotely", 0o711)
	a.pass()
	if !a.isDir("made/remotely") || a.perm("made/remotely") != 0o711 {
		t.Fatal("a remote marker did not become a local directory with its mode")
	}
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("pass after the directories synced: %s", s)
	}
	// Removed on one side, removed on the other.
	a.rm("empty")
	a.rm("made")
	if s := a.pass(); s.DeletedRemote != 2 {
		t.Fatalf("removing two empty directories: %s", s)
	}
	if _, ok := f.marker("empty"); ok {
		t.Fatal("marker of a removed directory still current")
	}
	if h := f.history("empty/"); len(h) != 1 {
		t.Fatalf("marker history %q: the delete is not a delete marker", h)
	}
	b.pass()
	if b.exists("empty") || b.exists("made") {
		t.Fatal("a directory removed on the other side stays")
	}
	// Removing p/q keeps p, which is empty now: it gets its marker.
	b.rm("p/q")
	b.pass()
	f.wantMarkers("p")
	a.pass()
	if a.exists("p/q") || !a.isDir("p") {
		t.Fatal("p/q removed elsewhere: want p/q gone and p kept")
	}
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("pass after the removals synced: %s", s)
	}
}

// allDeletes lifts the MaxDelete refusal, for tests of small folders.
func allDeletes(o *Options) { o.MaxDelete = 100 }

func TestDirEmptiedOfFiles(t *testing.T) {
	f := newFixture(t)
	a, b := f.side(TwoWay, allDeletes), f.side(TwoWay, allDeletes)
	a.write("gone/x", "x")
	a.write("kept/y", "y")
	a.write("other", "keeps the folder from looking wiped")
	a.pass()
	b.pass()
	a.rm("gone")
	a.rm("kept/y")
	a.pass()
	f.wantMarkers("kept")
	b.pass()
	if b.exists("gone") {
		t.Fatal("a directory removed with its files stays on the other side")
	}
	if !b.isDir("kept") || b.exists("kept/y") {
		t.Fatal("a directory emptied but kept is not kept on the other side")
	}
	// The same done on the bucket: files deleted without a marker take
	// the directory with them, a marker keeps it.
	f.put("r1/x", "x")
	f.put("r2/x", "x")
	f.put("r3/x", "x")
	a.pass()
	f.del("r1/x")
	f.del("r2/x")
	f.putMarker("r2", 0o755)
	a.pass()
	if a.exists("r1") {
		t.Fatal("a directory whose files were all deleted remotely stays")
	}
	if !a.isDir("r2") || a.exists("r2/x") {
		t.Fatal("a directory emptied remotely but kept by its marker is gone")
	}
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("pass after: %s", s)
	}
}

// suffixIgnorer ignores the names ending in its suffix.
type suffixIgnorer string

func (s suffixIgnorer) Match(rel string, _ bool) bool {
	return len(rel) >= len(s) && rel[len(rel)-len(s):] == string(s)
}

func TestDirHoldingOnlyIgnoredFilesIsEmpty(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) { o.Ignore = suffixIgnorer(".log") })
	a.write("logs/today.log", "ignored")
	a.write("other", "other")
	a.pass()
	f.wantMarkers("logs")
	if _, ok := f.object("logs/today.log"); ok {
		t.Fatal("an ignored file was uploaded")
	}
	// Removed remotely, the directory stays: it holds a file.
	f.del("logs/")
	a.pass()
	if a.read("logs/today.log") != "ignored" {
		t.Fatal("a directory holding an ignored file was removed")
	}
}

func TestRemovedRemotelyKeptWithNewFiles(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	a.mkdir("d", 0o755)
	a.write("other", "other")
	a.pass()
	f.del("d/")
	a.write("d/new.txt", "new")
	a.pass()
	if a.read("d/new.txt") != "new" {
		t.Fatal("a directory holding a new file was removed")
	}
	if got, _ := f.object("d/new.txt"); got != "new" {
		t.Fatal("new file not uploaded")
	}
}

func TestMarkerOfFullDirLeftAlone(t *testing.T) {
	f := newFixture(t)
	f.putMarker("d", 0o755)
	f.put("d/f.txt", "in d")
	a := f.side(TwoWay, allDeletes)
	a.pass()
	if a.read("d/f.txt") != "in d" {
		t.Fatal("file not downloaded")
	}
	if got := a.files(); len(got) != 1 {
		t.Fatalf("local files %q: a marker was taken for a file", got)
	}
	f.wantMarkers("d")
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("second pass: %s", s)
	}
	// Removing the directory locally removes its marker too, so that it
	// does not come back as an empty directory.
	a.rm("d")
	a.write("other", "other")
	a.pass()
	f.wantMarkers()
	a.pass()
	if a.exists("d") {
		t.Fatal("a removed directory came back")
	}
}

func TestBackupCarriesEmptyDirs(t *testing.T) {
	f := newFixture(t)
	a := f.side(Backup)
	a.mkdir("empty", 0o700)
	a.write("f", "f")
	f.putMarker("theirs", 0o755)
	a.pass()
	f.wantMarkers("empty", "theirs")
	if a.exists("theirs") {
		t.Fatal("backup made a directory of a remote marker")
	}
	// A marker deleted remotely is written again.
	f.del("empty/")
	a.pass()
	f.wantMarkers("empty", "theirs")
	a.rm("empty")
	a.pass()
	f.wantMarkers("theirs")
	if h := f.history("empty/"); len(h) != 2 {
		t.Fatalf("marker history %q, want both versions kept", h)
	}
}

func TestDirDeletesCountTowardsMaxDelete(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	for _, d := range []string{"1", "2", "3", "4", "5"} {
		a.mkdir(d, 0o755)
	}
	a.write("f", "f")
	a.pass()
	a.rm("1")
	a.rm("2")
	a.rm("3")
	a.rm("4")
	if _, _, err := a.e.Pass(context.Background()); !errors.Is(err, ErrTooManyDeletes) {
		t.Fatalf("removing 4 of 6: %v, want ErrTooManyDeletes", err)
	}
	f.wantMarkers("1", "2", "3", "4", "5")
}

func TestPathPassSeesEmptiedDir(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, allDeletes)
	a.write("d/x", "x")
	a.write("d/y", "y")
	a.pass()
	a.rm("d/x")
	a.rm("d/y")
	// A watcher reports the removed files, not their directory.
	if _, _, err := a.e.Pass(context.Background(), "d/x", "d/y"); err != nil {
		t.Fatal(err)
	}
	f.wantMarkers("d")
	a.rm("d")
	if _, _, err := a.e.Pass(context.Background(), "d"); err != nil {
		t.Fatal(err)
	}
	f.wantMarkers()
}

func TestRunCarriesEmptyDirs(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) {
		o.Now, o.Settle, o.Interval = time.Now, 50*time.Millisecond, time.Hour
	})
	a.write("f", "f")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.e.Run(ctx, nil) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not carried", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	hasMarker := func(rel string) func() bool {
		return func() bool { _, ok := f.marker(rel); return ok }
	}
	eventually("first pass", func() bool { _, ok := f.object("f"); return ok })
	a.mkdir("live", 0o755)
	eventually("mkdir", hasMarker("live"))
	a.rm("live")
	eventually("rmdir", func() bool { return !hasMarker("live")() })
	// The watcher reports a removed file, not the directory it empties.
	a.write("emptied/x", "x")
	eventually("a new file", func() bool { _, ok := f.object("emptied/x"); return ok })
	a.rm("emptied/x")
	eventually("a directory emptied of its file", hasMarker("emptied"))
	if _, ok := f.object("emptied/x"); ok {
		t.Fatal("the removed file is still current")
	}
}

func TestDirModeChangesCarried(t *testing.T) {
	f := newFixture(t)
	a, b := f.side(TwoWay), f.side(TwoWay)
	a.mkdir("d", 0o755)
	a.write("f", "f")
	a.pass()
	b.pass()
	a.mkdir("d", 0o700)
	a.pass()
	if info, _ := f.marker("d"); info.UserMetadata[fsmeta.Mode] != strconv.Itoa(syscall.S_IFDIR|0o700) {
		t.Fatalf("marker mode %s after a local chmod", info.UserMetadata[fsmeta.Mode])
	}
	b.pass()
	if b.perm("d") != 0o700 {
		t.Fatalf("mode %v on the other side, want 0700", b.perm("d"))
	}
	a.pass() // notes the LastModified of the marker it wrote
	// Rewritten remotely (a chmod through the mount), the marker's mode
	// reaches the folders.
	time.Sleep(10 * time.Millisecond) // a LastModified of its own
	f.putMarker("d", 0o711)
	a.pass()
	if a.perm("d") != 0o711 {
		t.Fatalf("mode %v after a remote chmod, want 0711", a.perm("d"))
	}
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("pass after: %s", s)
	}
	if s, acts, _ := a.e.Pass(context.Background()); len(acts) != 0 {
		t.Fatalf("quiet pass after: %s %v", s, acts)
	}
}

func TestUnreadableDirIsNotRemoved(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	en := entry{rel: "locked/sub/", r: &remote{rel: "locked/sub/"}, s: &state.Record{}}
	if !a.e.waits(en, []string{"locked"}) {
		t.Fatal("a directory below an unreadable one is decided")
	}
	if !a.e.waits(entry{rel: "locked/", s: &state.Record{}}, []string{"locked"}) {
		t.Fatal("an unreadable directory is decided")
	}
}

// failingMarkers fails every write of a directory marker.
type failingMarkers struct{ objstore.Store }

func (s failingMarkers) PutObject(ctx context.Context, b, k string, r io.Reader, o objstore.PutOptions) (objstore.ObjectInfo, error) {
	if strings.HasSuffix(k, "/") {
		return objstore.ObjectInfo{}, errors.New("connection reset")
	}
	return s.Store.PutObject(ctx, b, k, r, o)
}

func TestMarkerRecordedOnlyOnceStored(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	a.mkdir("e", 0o755)
	a.write("f", "f")
	a.e.store = failingMarkers{f.store}
	if s, _, err := a.e.Pass(context.Background()); err != nil || s.Failed != 1 {
		t.Fatalf("pass with failing marker writes: %v %s", err, s)
	}
	if _, ok, _ := a.e.db.Get("e/"); ok {
		t.Fatal("a directory was recorded although its marker was not stored")
	}
	a.e.store = f.store
	if s := a.pass(); s.Uploaded != 1 {
		t.Fatalf("next pass: %s", s)
	}
	f.wantMarkers("e")
}

func TestNewEmptyDirWaits(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) { o.Now = time.Now; o.Settle = time.Hour })
	a.mkdir("fresh", 0o755)
	if s := a.pass(); s.Pending != 1 || s.Uploaded != 0 {
		t.Fatalf("a directory made just now: %s", s)
	}
	f.wantMarkers()
}

// listedPrefixes records the prefix of every listing of the store.
type listedPrefixes struct {
	objstore.Store
	mu       sync.Mutex
	prefixes []string
}

func (l *listedPrefixes) ListObjects(ctx context.Context, bucket string, opts objstore.ListOptions) (objstore.ListResult, error) {
	l.mu.Lock()
	l.prefixes = append(l.prefixes, opts.Prefix)
	l.mu.Unlock()
	return l.Store.ListObjects(ctx, bucket, opts)
}

// TestPathPassOfDeleteInFullDir deletes one file of a directory that
// holds others, as a watcher reports it: the pass deletes the object
// without listing the whole directory, and writes no marker; a
// directory removed with its files is decided too.
func TestPathPassOfDeleteInFullDir(t *testing.T) {
	f := newFixture(t)
	listed := &listedPrefixes{Store: f.store}
	f.store = listed
	a := f.side(TwoWay, allDeletes)
	for _, name := range []string{"big/a", "big/b", "big/c", "big/sub/x"} {
		a.write(name, name)
	}
	a.pass()
	a.rm("big/b")
	a.rm("big/sub/x")
	a.rm("big/sub")
	listed.prefixes = nil
	if _, _, err := a.e.Pass(context.Background(), "big/b", "big/sub/x", "big/sub"); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(listed.prefixes, "data/big") {
		t.Errorf("a delete in a directory holding other files listed all of it: %q", listed.prefixes)
	}
	for _, gone := range []string{"big/b", "big/sub/x"} {
		if _, ok := f.object(gone); ok {
			t.Errorf("%s deleted locally is still in the bucket", gone)
		}
	}
	f.wantMarkers()
	if got, _ := f.object("big/a"); got != "big/a" {
		t.Errorf("big/a in the bucket: %q", got)
	}
}
