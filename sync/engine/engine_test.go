package engine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/sync/pair"
	"github.com/cairnfs/cairn/sync/state"
)

// side is one synced folder of a test: its engine over the shared store.
type side struct {
	t    *testing.T
	root string
	e    *Engine
}

// fixture is a store with a versioned bucket "b".
type fixture struct {
	t     *testing.T
	store objstore.Store
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := disk.Open(t.TempDir(), disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.CreateBucket(ctx, "bkt", objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBucketVersioning(ctx, "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, store: st}
}

// side opens a folder synced with b/data/ in mode.
func (f *fixture) side(mode Mode, mut ...func(*Options)) *side {
	f.t.Helper()
	root := f.t.TempDir()
	db, err := state.Open(filepath.Join(root, pair.StateDirName, "state"))
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	// The clock runs ahead so that files written by the test count as settled.
	opts := Options{Mode: mode, Host: "testhost", Now: func() time.Time { return time.Now().Add(time.Hour) }}
	for _, m := range mut {
		m(&opts)
	}
	p := pair.Pair{Local: root, Bucket: "bkt", Prefix: "data/"}
	return &side{t: f.t, root: root, e: New(f.store, p, db, opts)}
}

// pass runs a whole-folder pass and fails the test on a pass error or a
// failed action.
func (s *side) pass() Summary {
	s.t.Helper()
	sum, _, err := s.e.Pass(context.Background())
	if err != nil {
		s.t.Fatalf("pass: %v", err)
	}
	if sum.Failed > 0 {
		s.t.Fatalf("pass failed actions: %v", sum.Errors)
	}
	return sum
}

func (s *side) write(rel, content string) {
	s.t.Helper()
	p := filepath.Join(s.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *side) read(rel string) string {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.root, rel))
	if err != nil {
		s.t.Fatalf("read %s: %v", rel, err)
	}
	return string(b)
}

func (s *side) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(s.root, rel))
	return err == nil
}

// files lists the synced files of the folder, state dir excluded.
func (s *side) files() []string {
	var out []string
	filepath.WalkDir(s.root, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() && d.Name() == pair.StateDirName {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(s.root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// object returns the current content of data/rel, or "" and false.
func (f *fixture) object(rel string) (string, bool) {
	obj, err := f.store.GetObject(context.Background(), "bkt", "data/"+rel, objstore.GetOptions{})
	if err != nil {
		return "", false
	}
	defer obj.Body.Close()
	b, _ := io.ReadAll(obj.Body)
	return string(b), true
}

func (f *fixture) put(rel, content string) {
	f.t.Helper()
	_, err := f.store.PutObject(context.Background(), "bkt", "data/"+rel, strings.NewReader(content), objstore.PutOptions{Size: int64(len(content))})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) del(rel string) {
	f.t.Helper()
	if _, err := f.store.DeleteObject(context.Background(), "bkt", "data/"+rel, objstore.DeleteOptions{}); err != nil {
		f.t.Fatal(err)
	}
}

// history returns every content data/rel ever had, oldest first.
func (f *fixture) history(rel string) []string {
	f.t.Helper()
	ctx := context.Background()
	res, err := f.store.ListObjectVersions(ctx, "bkt", objstore.ListVersionsOptions{Prefix: "data/" + rel})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, v := range res.Versions {
		if v.Key != "data/"+rel || v.DeleteMarker {
			continue
		}
		obj, err := f.store.GetObject(ctx, "bkt", v.Key, objstore.GetOptions{VersionID: v.VersionID})
		if err != nil {
			f.t.Fatal(err)
		}
		b, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		out = append([]string{string(b)}, out...)
	}
	return out
}

func TestTwoWayRoundTrip(t *testing.T) {
	f := newFixture(t)
	a, b := f.side(TwoWay), f.side(TwoWay)
	a.write("top.txt", "top")
	a.write("dir/sub/deep.txt", "deep")
	if err := os.Chmod(filepath.Join(a.root, "dir/sub/deep.txt"), 0o750); err != nil {
		t.Fatal(err)
	}
	mt := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	os.Chtimes(filepath.Join(a.root, "top.txt"), mt, mt)
	if err := os.Symlink("dir/sub/deep.txt", filepath.Join(a.root, "link")); err != nil {
		t.Fatal(err)
	}
	if s := a.pass(); s.Uploaded != 3 {
		t.Fatalf("first pass uploaded %d, want 3", s.Uploaded)
	}
	if s := b.pass(); s.Downloaded != 3 {
		t.Fatalf("other side downloaded %d, want 3", s.Downloaded)
	}
	if got := b.read("dir/sub/deep.txt"); got != "deep" {
		t.Fatalf("deep.txt = %q", got)
	}
	fi, _ := os.Stat(filepath.Join(b.root, "dir/sub/deep.txt"))
	if fi.Mode().Perm() != 0o750 {
		t.Errorf("mode did not survive: %v", fi.Mode())
	}
	fi, _ = os.Stat(filepath.Join(b.root, "top.txt"))
	if !fi.ModTime().Equal(mt) {
		t.Errorf("mtime did not survive: %v, want %v", fi.ModTime(), mt)
	}
	if target, err := os.Readlink(filepath.Join(b.root, "link")); err != nil || target != "dir/sub/deep.txt" {
		t.Errorf("symlink did not survive: %q %v", target, err)
	}
	if s := b.pass(); s.String() != "in sync, nothing to do" {
		t.Errorf("second pass not idle: %s", s)
	}
}

func TestEditsAndDeletesBothWays(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	a.write("x.txt", "v1")
	a.write("y.txt", "y")
	a.write("z.txt", "z")
	a.pass()
	a.write("x.txt", "v2 local")
	a.pass()
	if got, _ := f.object("x.txt"); got != "v2 local" {
		t.Fatalf("local edit not uploaded: %q", got)
	}
	f.put("y.txt", "y remote")
	a.pass()
	if got := a.read("y.txt"); got != "y remote" {
		t.Fatalf("remote edit not downloaded: %q", got)
	}
	os.Remove(filepath.Join(a.root, "z.txt"))
	a.pass()
	if _, ok := f.object("z.txt"); ok {
		t.Fatal("local delete not carried")
	}
	if h := f.history("z.txt"); len(h) != 1 || h[0] != "z" {
		t.Fatalf("deleted content not in history: %v", h)
	}
	f.del("y.txt")
	a.pass()
	if a.exists("y.txt") {
		t.Fatal("remote delete not carried")
	}
}

func TestConflictKeepsBoth(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	a.write("doc.txt", "base")
	a.pass()
	a.write("doc.txt", "local edit")
	os.Chtimes(filepath.Join(a.root, "doc.txt"), time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	f.put("doc.txt", "remote edit")
	if s := a.pass(); s.Conflicts != 1 {
		t.Fatalf("conflicts = %d, want 1", s.Conflicts)
	}
	files := a.files()
	if len(files) != 2 {
		t.Fatalf("files after conflict: %v", files)
	}
	cn := files[0]
	if cn == "doc.txt" {
		cn = files[1]
	}
	if !strings.HasPrefix(cn, "doc (conflict ") || !strings.HasSuffix(cn, " testhost).txt") {
		t.Fatalf("conflict copy name %q", cn)
	}
	if a.read("doc.txt") != "remote edit" || a.read(cn) != "local edit" {
		t.Fatalf("the newer (remote) side should win: doc=%q copy=%q", a.read("doc.txt"), a.read(cn))
	}
	if got, _ := f.object(cn); got != "local edit" {
		t.Fatalf("conflict copy not uploaded: %q", got)
	}
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("pass after conflict: %s", s)
	}
}

func TestModifyBeatsDelete(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	a.write("keep-local.txt", "1")
	a.write("keep-remote.txt", "1")
	a.pass()
	a.write("keep-local.txt", "edited locally")
	f.del("keep-local.txt")
	f.put("keep-remote.txt", "edited remotely")
	os.Remove(filepath.Join(a.root, "keep-remote.txt"))
	a.pass()
	if got, _ := f.object("keep-local.txt"); got != "edited locally" {
		t.Fatalf("local edit lost to remote delete: %q", got)
	}
	if got := a.read("keep-remote.txt"); got != "edited remotely" {
		t.Fatalf("remote edit lost to local delete: %q", got)
	}
}

// counting counts bytes sent to the store by PutObject and UploadPart.
type counting struct {
	objstore.Store
	puts int
}

func (c *counting) PutObject(ctx context.Context, b, k string, r io.Reader, o objstore.PutOptions) (objstore.ObjectInfo, error) {
	c.puts++
	return c.Store.PutObject(ctx, b, k, r, o)
}

func TestRenamesAreNotTransfers(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	big := strings.Repeat("content to be renamed ", 1000)
	a.write("old/name.txt", big)
	a.write("other.txt", "other")
	a.pass()
	cs := &counting{Store: f.store}
	a.e.store = cs
	os.MkdirAll(filepath.Join(a.root, "new"), 0o755)
	if err := os.Rename(filepath.Join(a.root, "old/name.txt"), filepath.Join(a.root, "new/name.txt")); err != nil {
		t.Fatal(err)
	}
	// Kept empty, "old" would go up as a directory marker.
	os.Remove(filepath.Join(a.root, "old"))
	s := a.pass()
	if s.Renamed != 1 || s.Uploaded != 0 || cs.puts != 0 {
		t.Fatalf("local rename: %s, %d PUTs", s, cs.puts)
	}
	if got, _ := f.object("new/name.txt"); got != big {
		t.Fatal("renamed object content differs")
	}
	if _, ok := f.object("old/name.txt"); ok {
		t.Fatal("old key still current")
	}
	// A rename made remotely is a local rename.
	ctx := context.Background()
	_, err := f.store.CopyObject(ctx, "bkt", "data/moved.txt", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "bkt", Key: "data/other.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	f.del("other.txt")
	s = a.pass()
	if s.Renamed != 1 || s.Downloaded != 0 || a.read("moved.txt") != "other" || a.exists("other.txt") {
		t.Fatalf("remote rename: %s; files %v", s, a.files())
	}
}

func TestSafetyRefusals(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		a.write(n, n)
	}
	a.pass()
	os.Remove(filepath.Join(a.root, "1"))
	os.Remove(filepath.Join(a.root, "2"))
	os.Remove(filepath.Join(a.root, "3"))
	if _, _, err := a.e.Pass(context.Background()); !errors.Is(err, ErrTooManyDeletes) {
		t.Fatalf("deleting 3 of 5: %v, want ErrTooManyDeletes", err)
	}
	if _, ok := f.object("1"); !ok {
		t.Fatal("a refused pass deleted")
	}
	os.Remove(filepath.Join(a.root, "4"))
	os.Remove(filepath.Join(a.root, "5"))
	if _, _, err := a.e.Pass(context.Background()); !errors.Is(err, ErrEmptySide) {
		t.Fatalf("empty folder: %v, want ErrEmptySide", err)
	}
	b := f.side(TwoWay)
	b.pass()
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		f.del(n)
	}
	if _, _, err := b.e.Pass(context.Background()); !errors.Is(err, ErrEmptySide) {
		t.Fatalf("empty remote: %v, want ErrEmptySide", err)
	}
	if len(b.files()) != 5 {
		t.Fatal("a refused pass deleted local files")
	}
	b.e.opts.Force = true
	if s := b.pass(); s.DeletedLocal != 5 {
		t.Fatalf("--force: %s", s)
	}
}

func TestBackupNeverChangesLocal(t *testing.T) {
	f := newFixture(t)
	a := f.side(Backup)
	a.write("a.txt", "mine")
	a.write("stays.txt", "stays")
	a.pass()
	f.put("a.txt", "someone else's")
	f.put("theirs.txt", "theirs")
	a.pass()
	if a.read("a.txt") != "mine" || a.exists("theirs.txt") {
		t.Fatal("backup changed the local folder")
	}
	if got, _ := f.object("a.txt"); got != "mine" {
		t.Fatalf("backup did not restore the latest remote to the local file: %q", got)
	}
	if h := f.history("a.txt"); len(h) != 3 {
		t.Fatalf("history %v, want all three contents", h)
	}
	os.Remove(filepath.Join(a.root, "a.txt"))
	a.pass()
	if _, ok := f.object("a.txt"); ok {
		t.Fatal("local delete not a delete marker")
	}
	if _, ok := f.object("theirs.txt"); !ok {
		t.Fatal("backup deleted a remote file it never had")
	}
}

func TestFileStillBeingWrittenWaits(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) { o.Now = time.Now; o.Settle = time.Hour })
	a.write("hot.txt", "partial")
	if s := a.pass(); s.Pending != 1 || s.Uploaded != 0 {
		t.Fatalf("a file written just now: %s", s)
	}
	if _, ok := f.object("hot.txt"); ok {
		t.Fatal("an unsettled file was uploaded")
	}
}

func TestIdenticalOnBothSidesIsRecorded(t *testing.T) {
	f := newFixture(t)
	f.put("same.txt", "same")
	a := f.side(TwoWay)
	a.write("same.txt", "same")
	s := a.pass()
	if s.Conflicts != 0 || s.Uploaded != 0 || s.Downloaded != 0 {
		t.Fatalf("same content on both sides: %s", s)
	}
	if !bytes.Equal([]byte(a.read("same.txt")), []byte("same")) {
		t.Fatal("content changed")
	}
}
