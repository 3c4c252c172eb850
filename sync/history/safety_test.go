package history

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"bytes"
	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/fsmeta"
	"github.com/cairnfs/cairn/objstore/transfer"
)

func timeNow() time.Time { return time.Now() }

func TestKeysThatAreNotPathsAreSkipped(t *testing.T) {
	f := newFixture(t, true)
	for _, k := range []string{"t/../evil", "t/a//b", "t//abs", "t/./dot", "t/ok.txt"} {
		f.put(k, "data of "+k, syscall.S_IFREG|0o644, 1_700_000_000)
	}
	f.put("t/.cairn/pair.json", "not ours", syscall.S_IFREG|0o644, 1_700_000_000)
	base := t.TempDir()
	root := filepath.Join(base, "root")
	plan, sum := f.restoreLocal(Request{Tree: true, Key: "t/", At: time.Now()},
		LocalTarget{Root: root, Protect: []string{".cairn"}})
	if sum.Restored != 1 || sum.Skipped != 5 {
		t.Errorf("restored %d, skipped %d; want 1 and 5: %+v", sum.Restored, sum.Skipped, plan.Steps)
	}
	for _, s := range plan.Steps {
		if s.Op == OpSkip && s.Reason == "" {
			t.Errorf("%s skipped without a reason", s.Key)
		}
	}
	got := snapshot(t, base)
	sameTree(t, "only the safe key", got, tree{"root": {kind: 'd'}, "root/ok.txt": {kind: 'f', data: "data of t/ok.txt"}})
}

func TestRestoreNeverWritesThroughLinks(t *testing.T) {
	f := newFixture(t, true)
	dir, outside := t.TempDir(), t.TempDir()
	f.file("docs/a.txt", "restored", 0o644, 1_700_000_000)
	f.file("b.txt", "b", 0o644, 1_700_000_000)
	f.endRound()
	f.remove("docs/a.txt")
	f.link("docs", outside, 1_700_000_100)
	f.link("b.txt", filepath.Join(outside, "b.txt"), 1_700_000_100)
	f.endRound()
	f.restoreLocal(Request{Tree: true, At: f.rounds[1].at}, LocalTarget{Root: dir, Prune: true})
	os.WriteFile(filepath.Join(outside, "a.txt"), []byte("outside, untouched"), 0o644)
	os.WriteFile(filepath.Join(outside, "b.txt"), []byte("outside b, untouched"), 0o644)
	f.restoreLocal(Request{Tree: true, At: f.rounds[0].at}, LocalTarget{Root: dir, Prune: true})
	sameTree(t, "restored over links", snapshot(t, dir), withParents(f.rounds[0].tree))
	sameTree(t, "outside", snapshot(t, outside), tree{
		"a.txt": {kind: 'f', data: "outside, untouched"},
		"b.txt": {kind: 'f', data: "outside b, untouched"},
	})
}

func TestInPlaceRestoreKeepsWhatIsNotInHistory(t *testing.T) {
	f := newFixture(t, true)
	f.file("a.txt", "a", 0o644, 1_700_000_000)
	f.endRound()
	f.file("later.txt", "later", 0o644, 1_700_000_100)
	f.file("edited.txt", "synced", 0o644, 1_700_000_100)
	f.endRound()
	dir := t.TempDir()
	f.restoreLocal(Request{Tree: true, At: f.rounds[1].at}, LocalTarget{Root: dir, Prune: true, Protect: []string{".cairn"}})
	os.MkdirAll(filepath.Join(dir, ".cairn"), 0o700)
	os.WriteFile(filepath.Join(dir, ".cairn", "pair.json"), []byte("{}"), 0o600)
	os.WriteFile(filepath.Join(dir, ".cairn-tmp-upload"), []byte("in flight"), 0o600)
	os.WriteFile(filepath.Join(dir, "edited.txt"), []byte("edited, not synced"), 0o600)
	os.WriteFile(filepath.Join(dir, "unsynced.txt"), []byte("never synced"), 0o600)
	plan, sum := f.restoreLocal(Request{Tree: true, At: f.rounds[0].at}, LocalTarget{Root: dir, Prune: true, Protect: []string{".cairn"}})
	if sum.Removed != 1 || sum.Skipped != 2 {
		t.Errorf("removed %d and kept %d, want 1 and 2: %+v", sum.Removed, sum.Skipped, plan.Steps)
	}
	got := snapshot(t, dir)
	for _, p := range []string{".cairn/pair.json", ".cairn-tmp-upload", "a.txt", "edited.txt", "unsynced.txt"} {
		if _, ok := got[p]; !ok {
			t.Errorf("%s is gone after an in-place restore", p)
		}
	}
	if _, ok := got["later.txt"]; ok {
		t.Error("later.txt, which did not exist then and is in the history, is still there")
	}
}

func TestUnchangedMultipartFileIsNotDownloadedAgain(t *testing.T) {
	f := newFixture(t, true)
	data := make([]byte, 11<<20)
	rand.Read(data)
	attrs := fsmeta.Attrs{Mode: syscall.S_IFREG | 0o600, Mtime: time.Unix(1_700_000_000, 0)}
	info, err := transfer.Upload(f.ctx, f.st, f.bucket, "big", bytes.NewReader(data), int64(len(data)), transfer.Options{
		Threshold: 5 << 20, PartSize: 5 << 20,
		Put: objstore.PutOptions{ObjectMeta: objstore.ObjectMeta{UserMetadata: attrs.Metadata()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(info.ETag, "-3") {
		t.Fatalf("upload of 11 MiB in 5 MiB parts has ETag %s", info.ETag)
	}
	dir := t.TempDir()
	req := Request{Bucket: f.bucket, Tree: true, At: time.Now()}
	plan, err := PlanLocal(f.ctx, f.st, req, LocalTarget{Root: dir, Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	var moved int64
	opts := ApplyOptions{Transfer: transfer.Options{Threshold: 5 << 20, PartSize: 5 << 20, Progress: func(n int64) { moved += n }}}
	if sum, err := plan.Apply(f.ctx, f.st, opts); err != nil || sum.Restored != 1 || sum.Bytes != int64(len(data)) {
		t.Fatalf("first restore, in parallel ranges: %+v, %v", sum, err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "big")); err != nil || !bytes.Equal(got, data) || moved != int64(len(data)) {
		t.Fatalf("restored in parallel ranges: %d bytes (progress told %d), equal %v, %v", len(got), moved, bytes.Equal(got, data), err)
	}
	os.Chmod(filepath.Join(dir, "big"), 0o644)
	if _, sum := f.restoreLocal(req, LocalTarget{Root: dir, Prune: true}); sum.Restored != 0 || sum.Unchanged != 1 {
		t.Fatalf("second restore of an unchanged multipart file: %+v", sum)
	}
	fi, err := os.Stat(filepath.Join(dir, "big"))
	if err != nil || fi.Mode().Perm() != 0o600 || fi.ModTime().Unix() != 1_700_000_000 {
		t.Fatalf("unchanged file's mode and mtime not set again: %v %v", fi, err)
	}
}
