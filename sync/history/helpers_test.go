package history

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/fsmeta"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// entry is what a test expects at one path: a file, a link or a
// directory, with its mode and mtime (0 when not checked).
type entry struct {
	kind  byte // 'f', 'l' or 'd'
	perm  fs.FileMode
	mtime int64
	data  string // a file's content or a link's target
}

// tree maps slash paths to entries.
type tree map[string]entry

// round is the tree as it was at a time between rounds of edits.
type round struct {
	at   time.Time
	tree tree
}

// fixture is a versioned bucket in an embedded store, edited round by
// round, with the expected tree of each round.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	st     objstore.Store
	bucket string
	cur    tree
	rounds []round
}

// newFixture opens an embedded store in a temporary directory with one
// versioned bucket.
func newFixture(t *testing.T, versioned bool) *fixture {
	t.Helper()
	st, err := disk.Open(t.TempDir(), disk.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, ctx: context.Background(), st: st, bucket: "hist", cur: tree{}}
	if err := st.CreateBucket(f.ctx, f.bucket, objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	if versioned {
		if err := st.PutBucketVersioning(f.ctx, f.bucket, objstore.VersioningEnabled); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// put stores an object with the given file attributes.
func (f *fixture) put(key, data string, mode uint32, mtime int64) objstore.ObjectInfo {
	f.t.Helper()
	attrs := fsmeta.Attrs{Mode: mode, Mtime: time.Unix(mtime, 0)}
	opts := objstore.PutOptions{Size: int64(len(data)), ObjectMeta: objstore.ObjectMeta{UserMetadata: attrs.Metadata()}}
	if attrs.IsDir() {
		opts.ContentType = fsmeta.DirContentType
	}
	info, err := f.st.PutObject(f.ctx, f.bucket, key, strings.NewReader(data), opts)
	if err != nil {
		f.t.Fatalf("put %s: %v", key, err)
	}
	return info
}

func (f *fixture) file(key, data string, perm fs.FileMode, mtime int64) {
	f.put(key, data, syscall.S_IFREG|uint32(perm), mtime)
	f.cur[key] = entry{kind: 'f', perm: perm, mtime: mtime, data: data}
}

func (f *fixture) link(key, target string, mtime int64) {
	f.put(key, target, syscall.S_IFLNK|0o777, mtime)
	f.cur[key] = entry{kind: 'l', mtime: mtime, data: target}
}

func (f *fixture) dir(name string, perm fs.FileMode, mtime int64) {
	f.put(name+"/", "", syscall.S_IFDIR|uint32(perm), mtime)
	f.cur[name] = entry{kind: 'd', perm: perm, mtime: mtime}
}

// remove deletes the object of a file, link or (marked) directory.
func (f *fixture) remove(name string) {
	f.t.Helper()
	key := name
	if f.cur[name].kind == 'd' {
		key += "/"
	}
	if _, err := f.st.DeleteObject(f.ctx, f.bucket, key, objstore.DeleteOptions{}); err != nil {
		f.t.Fatalf("delete %s: %v", key, err)
	}
	delete(f.cur, name)
}

// rename moves a file as the mount does: copy, then delete.
func (f *fixture) rename(from, to string) {
	f.t.Helper()
	co := objstore.CopyOptions{Source: objstore.CopySource{Bucket: f.bucket, Key: from}}
	if _, err := f.st.CopyObject(f.ctx, f.bucket, to, co); err != nil {
		f.t.Fatalf("copy %s to %s: %v", from, to, err)
	}
	e := f.cur[from]
	f.remove(from)
	f.cur[to] = e
}

// endRound records the tree and a time after every edit of the round and
// before every edit of the next: it waits for the store's clock (whole
// milliseconds) to pass that time.
func (f *fixture) endRound() {
	at := time.Now()
	for !time.Now().Truncate(time.Millisecond).After(at) {
		time.Sleep(50 * time.Microsecond)
	}
	f.rounds = append(f.rounds, round{at: at, tree: maps.Clone(f.cur)})
}

// edit builds the history every restore test starts from: four rounds
// that create, overwrite, delete, recreate and rename files, links and
// directories.
func (f *fixture) edit() {
	const base = 1_700_000_000
	f.file("a.txt", "alpha 1", 0o644, base+1)
	f.file("a.txt.bak", "backup", 0o600, base+2)
	f.dir("empty", 0o750, base+3)
	f.file("docs/b.txt", "bravo 1", 0o600, base+4)
	f.file("docs/c.sh", "#!/bin/sh\necho 1\n", 0o755, base+5)
	f.link("docs/l", "b.txt", base+6)
	f.endRound()

	f.file("a.txt", "alpha 2, longer", 0o640, base+101)
	f.remove("docs/c.sh")
	f.file("new.txt", "new in round 2", 0o644, base+102)
	f.link("docs/l", "../a.txt", base+103)
	f.file("docs/deep/x/y.txt", "deep", 0o644, base+104)
	f.endRound()

	f.file("docs/c.sh", "#!/bin/sh\necho 3\n", 0o700, base+201)
	f.rename("docs/b.txt", "docs/sub/b2.txt")
	f.remove("empty")
	f.remove("new.txt")
	f.remove("docs/deep/x/y.txt")
	f.endRound()

	f.remove("a.txt")
	f.file("a.txt", "alpha 4", 0o604, base+301)
	f.link("top", "docs/sub", base+302)
	f.file("docs/sub/b2.txt", "bravo 4", 0o664, base+303)
	f.endRound()
}

// withParents adds the directories the paths of want imply, unchecked.
func withParents(want tree) tree {
	out := maps.Clone(want)
	for p := range want {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := out[d]; !ok {
				out[d] = entry{kind: 'd'}
			}
		}
	}
	return out
}

// snapshot reads the local tree under dir.
func snapshot(t *testing.T, dir string) tree {
	t.Helper()
	got := tree{}
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == dir {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(name, dir+string(filepath.Separator)))
		fi, err := os.Lstat(name)
		if err != nil {
			return err
		}
		e := entry{perm: fi.Mode().Perm(), mtime: fi.ModTime().Unix()}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			e.kind = 'l'
			e.data, err = os.Readlink(name)
		case fi.IsDir():
			e.kind = 'd'
		default:
			e.kind = 'f'
			var b []byte
			b, err = os.ReadFile(name)
			e.data = string(b)
		}
		got[rel] = e
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// remoteTree reads the current objects of the bucket as a tree.
func (f *fixture) remoteTree() tree {
	f.t.Helper()
	got := tree{}
	for o, err := range transfer.Objects(f.ctx, f.st, f.bucket, objstore.ListOptions{}) {
		if err != nil {
			f.t.Fatal(err)
		}
		obj, err := f.st.GetObject(f.ctx, f.bucket, o.Key, objstore.GetOptions{})
		if err != nil {
			f.t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(obj.Body)
		obj.Body.Close()
		a := fsmeta.Parse(obj.Info.UserMetadata)
		perm, _ := a.Perm()
		e := entry{kind: 'f', perm: perm, mtime: a.Mtime.Unix(), data: b.String()}
		switch {
		case a.IsLink():
			e.kind, e.perm = 'l', 0
		case a.IsDir():
			e.kind, e.data = 'd', ""
		}
		got[strings.TrimSuffix(o.Key, "/")] = e
	}
	return got
}

// sameTree reports every difference between got and want; a want entry
// with perm or mtime 0 does not check it, and links' modes are not
// compared.
func sameTree(t *testing.T, what string, got, want tree) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(want)) {
		w, g := want[p], got[p]
		switch _, ok := got[p]; {
		case !ok:
			t.Errorf("%s: %s missing", what, p)
		case g.kind != w.kind || g.data != w.data:
			t.Errorf("%s: %s is %c %q, want %c %q", what, p, g.kind, g.data, w.kind, w.data)
		case w.perm != 0 && g.perm != w.perm:
			t.Errorf("%s: %s mode %v, want %v", what, p, g.perm, w.perm)
		case w.mtime != 0 && g.mtime != w.mtime:
			t.Errorf("%s: %s mtime %d, want %d", what, p, g.mtime, w.mtime)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s (%c) should not be there", what, p, got[p].kind)
		}
	}
}

// restoreLocal plans and applies a restore into a local target.
func (f *fixture) restoreLocal(req Request, lt LocalTarget) (*Plan, Summary) {
	f.t.Helper()
	req.Bucket = f.bucket
	plan, err := PlanLocal(f.ctx, f.st, req, lt)
	if err != nil {
		f.t.Fatalf("plan restore of %q into %s: %v", req.Key, lt.Root, err)
	}
	sum, err := plan.Apply(f.ctx, f.st, ApplyOptions{})
	if err != nil {
		f.t.Fatalf("restore %q into %s: %v", req.Key, lt.Root, err)
	}
	return plan, sum
}

// noTemps fails if a restore left a temporary file under dir.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err == nil && IsTemp(d.Name()) {
			t.Errorf("temporary file left: %s", name)
		}
		return nil
	})
}
