package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3client"
	"github.com/cairnfs/cairn/sync/pair"
)

// histFile is a file of the history test: content, mode and mtime.
type histFile struct {
	data  string
	perm  fs.FileMode
	mtime int64
}

// histRun edits a tree under a prefix of a versioned bucket on cairn
// serve with cairn cp and cairn rm, round by round, and records each
// round's tree and a time between rounds.
type histRun struct {
	t      *testing.T
	s      *server
	bucket string
	prefix string
	work   string
	cur    map[string]histFile
	rounds []histRound
}

type histRound struct {
	at   time.Time
	tree map[string]histFile
}

// cairn runs cairn with the server's credentials (if any) and args as
// given, on an empty default data directory.
func (h *histRun) cairn(args ...string) (string, string, int) {
	h.t.Helper()
	cmd := exec.Command(cairnBinary(h.t), args...)
	env := os.Environ()
	if h.s != nil {
		env = h.s.env()
	}
	cmd.Env = append(env, "CAIRN_ACCESS_KEY="+testAccessKey, "CAIRN_SECRET_KEY="+testSecretKey, "CAIRN_ENDPOINT=", "CAIRN_DATA="+h.t.TempDir())
	r := runCaptured(h.t, cmd)
	return r.stdout, r.stderr, r.code
}

// ok runs cairn on the server's endpoint and expects success.
func (h *histRun) ok(args ...string) string {
	h.t.Helper()
	return h.okLocal(append([]string{"--endpoint", h.s.endpoint}, args...)...)
}

// okLocal runs cairn as given (a synced folder names its own store) and
// expects success with nothing on stderr.
func (h *histRun) okLocal(args ...string) string {
	h.t.Helper()
	out, errOut, code := h.cairn(args...)
	if code != 0 || errOut != "" {
		h.t.Fatalf("cairn %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func (h *histRun) url(rel string) string { return "s3://" + h.bucket + "/" + h.prefix + rel }

// put uploads a file with its mode and mtime in the s3fs metadata.
func (h *histRun) put(rel, data string, perm fs.FileMode, mtime int64) {
	h.t.Helper()
	local := filepath.Join(h.work, "upload")
	if err := os.WriteFile(local, []byte(data), 0o644); err != nil {
		h.t.Fatal(err)
	}
	meta := fmt.Sprintf("mode=%d,mtime=%d", syscall.S_IFREG|uint32(perm), mtime)
	h.ok("cp", "--metadata", meta, local, h.url(rel))
	h.cur[rel] = histFile{data, perm, mtime}
}

func (h *histRun) rm(rel string) {
	h.t.Helper()
	h.ok("rm", h.url(rel))
	delete(h.cur, rel)
}

// mv renames a file as a copy and a delete, server side.
func (h *histRun) mv(from, to string) {
	h.t.Helper()
	h.ok("cp", h.url(from), h.url(to))
	f := h.cur[from]
	h.rm(from)
	h.cur[to] = f
}

// endRound records the tree and a time after this round's writes and
// before the next round's: it waits for the clock to pass the next whole
// millisecond, the resolution of the store's times.
func (h *histRun) endRound() {
	at := time.Now()
	for !time.Now().Truncate(time.Millisecond).After(at) {
		time.Sleep(100 * time.Microsecond)
	}
	h.rounds = append(h.rounds, histRound{at: at, tree: maps.Clone(h.cur)})
}

func (h *histRun) at(i int) string { return h.rounds[i].at.UTC().Format(time.RFC3339Nano) }

// histSnapshot reads the regular files under dir (directories implied).
func histSnapshot(t *testing.T, dir string) map[string]histFile {
	t.Helper()
	got := map[string]histFile{}
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == pair.StateDirName:
			return filepath.SkipDir
		case d.IsDir():
			return nil
		}
		fi, err := os.Lstat(name)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(name)
		rel, _ := filepath.Rel(dir, name)
		got[filepath.ToSlash(rel)] = histFile{string(b), fi.Mode().Perm(), fi.ModTime().Unix()}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// sameFiles reports every difference between two trees.
func sameFiles(t *testing.T, what string, got, want map[string]histFile) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: %s missing", what, p)
		} else if g != want[p] {
			t.Errorf("%s: %s is %+v, want %+v", what, p, g, want[p])
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s should not be there", what, p)
		}
	}
}

// newHistRun starts cairn serve with a versioned bucket and edits a tree
// in three rounds: create; overwrite, delete, add; recreate, delete,
// change mode, rename.
func newHistRun(t *testing.T) *histRun {
	s := startServe(t)
	h := &histRun{t: t, s: s, bucket: "history-e2e", prefix: "tree/", work: t.TempDir(), cur: map[string]histFile{}}
	h.ok("mb", "s3://"+h.bucket)
	ctx := context.Background()
	st, err := s3client.New(ctx, s3client.Options{Endpoint: s.endpoint, Region: testRegion, AccessKey: testAccessKey, SecretKey: testSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutBucketVersioning(ctx, h.bucket, objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	const base = 1_700_000_000
	h.put("a.txt", "alpha one", 0o644, base+1)
	h.put("docs/b.txt", "bravo one", 0o600, base+2)
	h.put("docs/run.sh", "#!/bin/sh\necho 1\n", 0o755, base+3)
	h.endRound()
	h.put("a.txt", "alpha two, longer", 0o640, base+101)
	h.rm("docs/b.txt")
	h.put("new.txt", "new in round two", 0o644, base+102)
	h.endRound()
	h.put("docs/b.txt", "bravo three", 0o644, base+201)
	h.rm("new.txt")
	h.put("docs/run.sh", "#!/bin/sh\necho 3\n", 0o700, base+202)
	h.mv("a.txt", "docs/a-moved.txt")
	h.endRound()
	return h
}

func TestHistoryVersionsAndRestore(t *testing.T) {
	h := newHistRun(t)

	out := h.ok("versions", h.url("docs/b.txt"))
	lines := cliLines(out)
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "latest") || !strings.HasSuffix(lines[1], "deleted") || strings.Contains(lines[2], "deleted") {
		t.Errorf("cairn versions of docs/b.txt (recreated after a delete):\n%s", out)
	}
	out = h.ok("versions", h.url(""))
	for _, want := range []string{h.url("a.txt") + "\n", h.url("docs/b.txt") + "\n", h.url("new.txt") + "\n", h.url("docs/a-moved.txt") + "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("cairn versions of the folder does not group %q:\n%s", strings.TrimSpace(want), out)
		}
	}
	var vs []struct {
		Key          string `json:"key"`
		VersionID    string `json:"versionId"`
		DeleteMarker bool   `json:"deleteMarker"`
		Latest       bool   `json:"latest"`
	}
	if err := json.Unmarshal([]byte(h.ok("versions", "--json", h.url(""))), &vs); err != nil {
		t.Fatalf("cairn versions --json: %v", err)
	}
	markers, latest := 0, 0
	for _, v := range vs {
		if v.DeleteMarker {
			markers++
		}
		if v.Latest {
			latest++
		}
	}
	// a.txt: 2 versions + marker; b.txt: 2 + marker; run.sh: 2; new.txt: 1 + marker; a-moved.txt: 1.
	if len(vs) != 11 || markers != 3 || latest != 5 {
		t.Errorf("cairn versions --json: %d entries, %d delete markers, %d latest; want 11, 3, 5", len(vs), markers, latest)
	}

	for i := range h.rounds {
		dir := filepath.Join(t.TempDir(), "out")
		out := h.ok("restore", h.url(""), "--at", h.at(i), "--to", dir)
		if !strings.Contains(out, fmt.Sprintf("restored %d ", len(h.rounds[i].tree))) {
			t.Errorf("restore of round %d: summary does not count %d files:\n%s", i+1, len(h.rounds[i].tree), out)
		}
		sameFiles(t, fmt.Sprintf("restore --to at round %d", i+1), histSnapshot(t, dir), h.rounds[i].tree)
	}

	// One file, by time and by version ID.
	dir := t.TempDir()
	h.ok("restore", h.url("docs/run.sh"), "--at", h.at(0), "--to", dir)
	sameFiles(t, "run.sh at round 1", histSnapshot(t, dir), map[string]histFile{"run.sh": h.rounds[0].tree["docs/run.sh"]})
	first := vs[0].VersionID
	for _, v := range vs {
		if v.Key == "tree/a.txt" && !v.DeleteMarker {
			first = v.VersionID // the last listed is the oldest
		}
	}
	h.ok("restore", h.url("a.txt"), "--version", first, "--to", dir)
	if got := histSnapshot(t, dir)["a.txt"]; got != h.rounds[0].tree["a.txt"] {
		t.Errorf("a.txt by version ID: %+v, want %+v", got, h.rounds[0].tree["a.txt"])
	}
}

func TestHistoryRestoreInTheBucket(t *testing.T) {
	h := newHistRun(t)
	before := len(cliLines(h.ok("ls", "--recursive", "--versions", h.url(""))))
	out := h.ok("restore", h.url(""), "--at", h.at(1), "--dry-run")
	if !strings.Contains(out, "(dry run)") || !strings.Contains(out, "nothing done") {
		t.Errorf("restore --dry-run printed:\n%s", out)
	}
	if n := len(cliLines(h.ok("ls", "--recursive", "--versions", h.url("")))); n != before {
		t.Fatalf("restore --dry-run changed the bucket: %d versions, then %d", before, n)
	}
	h.ok("restore", h.url(""), "--at", h.at(1))
	dir := filepath.Join(t.TempDir(), "now")
	h.ok("restore", h.url(""), "--at", "now", "--to", dir)
	sameFiles(t, "the bucket restored to round 2", histSnapshot(t, dir), h.rounds[1].tree)
	if n := len(cliLines(h.ok("ls", "--recursive", "--versions", h.url("")))); n <= before {
		t.Errorf("a restore in the bucket added no versions: %d before, %d after", before, n)
	}
	// Round 3 is still in the history.
	dir = filepath.Join(t.TempDir(), "round3")
	h.ok("restore", h.url(""), "--at", h.at(2), "--to", dir)
	sameFiles(t, "round 3 after a restore in the bucket", histSnapshot(t, dir), h.rounds[2].tree)
}

func TestHistoryRestoreSyncedFolderInPlace(t *testing.T) {
	h := newHistRun(t)
	dir := t.TempDir()
	p := pair.Pair{Local: dir, Bucket: h.bucket, Prefix: h.prefix, Endpoint: h.s.endpoint, Region: testRegion, Mode: "backup"}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	h.okLocal("restore", dir, "--at", "now")
	sameFiles(t, "synced folder restored to now", histSnapshot(t, dir), h.rounds[2].tree)

	out := h.okLocal("versions", filepath.Join(dir, "docs", "b.txt"))
	if n := len(cliLines(out)); n != 3 {
		t.Errorf("cairn versions of a synced file: %d lines, want 3:\n%s", n, out)
	}

	if err := os.WriteFile(filepath.Join(dir, "docs", "unsynced.txt"), []byte("not in the bucket"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := h.cairn("restore", filepath.Join(dir, "docs"), "--at", h.at(0))
	if code != 0 || !strings.Contains(errOut, "unsynced.txt") {
		t.Fatalf("restore of a synced subfolder: exit %d\n%s\n%s", code, out, errOut)
	}
	want := map[string]histFile{"docs/unsynced.txt": {"not in the bucket", 0o644, histSnapshot(t, dir)["docs/unsynced.txt"].mtime}}
	for rel, f := range h.rounds[0].tree {
		if strings.HasPrefix(rel, "docs/") {
			want[rel] = f
		}
	}
	for rel, f := range h.rounds[2].tree {
		if !strings.HasPrefix(rel, "docs/") {
			want[rel] = f
		}
	}
	sameFiles(t, "docs at round 1, the rest at round 3, the unsynced file kept", histSnapshot(t, dir), want)
	if _, err := os.Stat(filepath.Join(dir, ".cairn", "pair.json")); err != nil {
		t.Errorf("the pair file is gone after a restore of the folder: %v", err)
	}
}

func TestHistoryCommandErrors(t *testing.T) {
	h := newHistRun(t)
	outside := t.TempDir()
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"restore", outside, "--at", "now"}, 1, "not inside a folder synced by cairn sync"},
		{[]string{"versions", outside}, 1, "not inside a folder synced by cairn sync"},
		{[]string{"--endpoint", h.s.endpoint, "restore", h.url("")}, 2, "--at TIME or --version ID"},
		{[]string{"--endpoint", h.s.endpoint, "restore", h.url(""), "--at", "soon"}, 2, "RFC 3339"},
		{[]string{"--endpoint", h.s.endpoint, "restore", h.url(""), "--at", "now", "--version", "x"}, 2, "do not go together"},
		{[]string{"--endpoint", h.s.endpoint, "restore", h.url("docs/"), "--version", "x"}, 2, "is a folder"},
		{[]string{"--endpoint", h.s.endpoint, "versions", h.url("nothing-here")}, 1, "no versions"},
	}
	for _, c := range cases {
		out, errOut, code := h.cairn(c.args...)
		if code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("cairn %s: exit %d, want %d saying %q\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), code, c.code, c.says, out, errOut)
		}
	}
}

func TestHistoryEmbeddedStoreOfASyncedFolder(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	ctx := context.Background()
	st, err := disk.Open(data, disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	put := func(body string) {
		if _, err := st.PutObject(ctx, "embedded", "folder/a.txt", strings.NewReader(body), objstore.PutOptions{Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateBucket(ctx, "embedded", objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBucketVersioning(ctx, "embedded", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	put("first")
	at := time.Now()
	for !time.Now().Truncate(time.Millisecond).After(at) {
		time.Sleep(100 * time.Microsecond)
	}
	put("second")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := (pair.Pair{Local: dir, Bucket: "embedded", Prefix: "folder/", DataDir: data}).Save(); err != nil {
		t.Fatal(err)
	}
	h := &histRun{t: t}
	if n := len(cliLines(h.okLocal("versions", filepath.Join(dir, "a.txt")))); n != 2 {
		t.Errorf("cairn versions on the pair's data directory: %d lines, want 2", n)
	}
	h.okLocal("restore", filepath.Join(dir, "a.txt"), "--at", at.Format(time.RFC3339Nano))
	if b, err := os.ReadFile(filepath.Join(dir, "a.txt")); err != nil || string(b) != "first" {
		t.Errorf("a.txt restored in place from the pair's data directory: %q, %v", b, err)
	}
	// --data on the command line wins over the pair's record.
	_, errOut, code := h.cairn("--data", t.TempDir(), "versions", filepath.Join(dir, "a.txt"))
	if code != 1 || !strings.Contains(errOut, "NoSuchBucket") {
		t.Errorf("versions with --data elsewhere: exit %d, %s", code, errOut)
	}
}
