package history

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRestoreTreeIntoDirectoryAtEachRound(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	for i, r := range f.rounds {
		dir := filepath.Join(t.TempDir(), "out")
		_, sum := f.restoreLocal(Request{Tree: true, At: r.at}, LocalTarget{Root: dir})
		sameTree(t, "round "+string(rune('1'+i)), snapshot(t, dir), withParents(r.tree))
		noTemps(t, dir)
		if sum.Restored == 0 || sum.Failed != 0 {
			t.Errorf("round %d: summary %+v", i+1, sum)
		}
	}
}

func TestRestoreInPlaceGoesBackAndForth(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	dir := t.TempDir()
	last := f.rounds[len(f.rounds)-1]
	f.restoreLocal(Request{Tree: true, At: last.at}, LocalTarget{Root: dir, Prune: true})
	for _, i := range []int{2, 0, 3, 1, 0} {
		r := f.rounds[i]
		_, sum := f.restoreLocal(Request{Tree: true, At: r.at}, LocalTarget{Root: dir, Prune: true})
		sameTree(t, "in place, round "+string(rune('1'+i)), snapshot(t, dir), withParents(r.tree))
		if sum.Failed != 0 {
			t.Errorf("round %d: summary %+v", i+1, sum)
		}
	}
	noTemps(t, dir)

	// Again at the same time: everything is already in place.
	plan, sum := f.restoreLocal(Request{Tree: true, At: f.rounds[0].at}, LocalTarget{Root: dir, Prune: true})
	if sum.Restored != 0 || sum.Removed != 0 || sum.Unchanged == 0 {
		t.Errorf("a second restore to the same time did %+v: %+v", sum, plan.Steps)
	}
	sameTree(t, "restored twice", snapshot(t, dir), withParents(f.rounds[0].tree))
}

func TestRestoreSubtreeInPlaceLeavesTheRestAlone(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	dir := t.TempDir()
	last := f.rounds[3]
	f.restoreLocal(Request{Tree: true, At: last.at}, LocalTarget{Root: dir, Prune: true})
	f.restoreLocal(Request{Tree: true, Key: "docs/", At: f.rounds[1].at}, LocalTarget{Root: dir, Path: "docs", Prune: true})
	want := tree{}
	for p, e := range last.tree {
		if !hasPrefix(p, "docs/") {
			want[p] = e
		}
	}
	for p, e := range f.rounds[1].tree {
		if hasPrefix(p, "docs/") {
			want[p] = e
		}
	}
	sameTree(t, "docs at round 2, the rest at round 4", snapshot(t, dir), withParents(want))
}

func hasPrefix(p, prefix string) bool { return len(p) >= len(prefix) && p[:len(prefix)] == prefix }

func TestRestoreKeepNewer(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	dir := t.TempDir()
	f.restoreLocal(Request{Tree: true, At: f.rounds[3].at}, LocalTarget{Root: dir, Prune: true})
	_, sum := f.restoreLocal(Request{Tree: true, At: f.rounds[0].at, KeepNewer: true}, LocalTarget{Root: dir, Prune: true})
	if sum.Removed != 0 {
		t.Errorf("--keep-newer removed %d paths", sum.Removed)
	}
	want := withParents(f.rounds[0].tree)
	for p, e := range f.rounds[3].tree {
		if _, ok := want[p]; !ok {
			want[p] = e
		}
	}
	sameTree(t, "round 1 over round 4, newer kept", snapshot(t, dir), withParents(want))
}

func TestRestoreOneFile(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	dir := t.TempDir()
	f.restoreLocal(Request{Key: "docs/c.sh", At: f.rounds[0].at}, LocalTarget{Root: dir, Path: "c.sh"})
	sameTree(t, "c.sh at round 1", snapshot(t, dir), tree{"c.sh": f.rounds[0].tree["docs/c.sh"]})

	// By version ID: the oldest version of a.txt.
	var oldest string
	for v, err := range Versions(f.ctx, f.st, f.bucket, "a.txt") {
		if err != nil {
			t.Fatal(err)
		}
		if !v.DeleteMarker {
			oldest = v.VersionID
		}
	}
	f.restoreLocal(Request{Key: "a.txt", VersionID: oldest}, LocalTarget{Root: dir, Path: "a.txt"})
	if got := snapshot(t, dir)["a.txt"]; got.data != "alpha 1" || got.perm != 0o644 || got.mtime != 1_700_000_001 {
		t.Errorf("a.txt by version ID: %+v", got)
	}

	// At a time it did not exist: an error elsewhere, a removal in place.
	req := Request{Bucket: f.bucket, Key: "docs/c.sh", At: f.rounds[1].at}
	if _, err := PlanLocal(f.ctx, f.st, req, LocalTarget{Root: dir, Path: "c.sh"}); !errors.Is(err, ErrDidNotExist) {
		t.Errorf("restoring a file to a time it did not exist: %v, want ErrDidNotExist", err)
	}
	f.restoreLocal(Request{Key: "docs/c.sh", At: f.rounds[1].at}, LocalTarget{Root: dir, Path: "c.sh", Prune: true})
	if _, err := os.Lstat(filepath.Join(dir, "c.sh")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("c.sh restored in place to a time it did not exist is still there: %v", err)
	}
}

func TestRestoreRemoteAtEachRound(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	before := f.versionIDs()
	for _, i := range []int{0, 2, 1, 3, 0} {
		r := f.rounds[i]
		plan, err := PlanRemote(f.ctx, f.st, Request{Bucket: f.bucket, Tree: true, At: r.at})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := plan.Apply(f.ctx, f.st, ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
		sameTree(t, "bucket at round "+string(rune('1'+i)), f.remoteTree(), r.tree)
	}
	after := f.versionIDs()
	for id := range before {
		if !after[id] {
			t.Errorf("version %s is gone after remote restores", id)
		}
	}
	if len(after) <= len(before) {
		t.Errorf("remote restores added no versions: %d before, %d after", len(before), len(after))
	}
}

func TestRestoreRemoteOneFileByVersion(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	var first string
	for v, err := range Versions(f.ctx, f.st, f.bucket, "docs/c.sh") {
		if err != nil {
			t.Fatal(err)
		}
		first = v.VersionID
	}
	plan, err := PlanRemote(f.ctx, f.st, Request{Bucket: f.bucket, Key: "docs/c.sh", VersionID: first})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Apply(f.ctx, f.st, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := f.remoteTree()["docs/c.sh"]; got.data != "#!/bin/sh\necho 1\n" || got.perm != 0o755 {
		t.Errorf("docs/c.sh after restoring its first version: %+v", got)
	}
}

func TestRestoreRemoteRefusesUnversionedBucket(t *testing.T) {
	f := newFixture(t, false)
	f.file("a.txt", "x", 0o644, 1_700_000_000)
	_, err := PlanRemote(f.ctx, f.st, Request{Bucket: f.bucket, Tree: true, At: time.Now()})
	if !errors.Is(err, ErrNoHistory) {
		t.Fatalf("remote restore on an unversioned bucket: %v, want ErrNoHistory", err)
	}
}

// versionIDs returns the ID of every version and delete marker.
func (f *fixture) versionIDs() map[string]bool {
	ids := map[string]bool{}
	for v, err := range VersionsUnder(f.ctx, f.st, f.bucket, "") {
		if err != nil {
			f.t.Fatal(err)
		}
		ids[v.Key+"@"+v.VersionID] = true
	}
	return ids
}

func TestRestoreFolderWithItsOwnMarker(t *testing.T) {
	f := newFixture(t, true)
	f.dir("docs", 0o700, 1_700_000_000)
	f.file("docs/a.txt", "a", 0o644, 1_700_000_001)
	f.endRound()
	f.file("docs/a.txt", "a, later", 0o644, 1_700_000_101)
	f.endRound()
	dir := t.TempDir()
	f.restoreLocal(Request{Tree: true, At: f.rounds[1].at}, LocalTarget{Root: dir, Prune: true})
	f.restoreLocal(Request{Tree: true, Key: "docs/", At: f.rounds[0].at}, LocalTarget{Root: dir, Path: "docs", Prune: true})
	sameTree(t, "docs with its marker at round 1", snapshot(t, dir), f.rounds[0].tree)
	out := filepath.Join(t.TempDir(), "out")
	f.restoreLocal(Request{Tree: true, Key: "docs/", At: f.rounds[0].at}, LocalTarget{Root: out})
	sameTree(t, "docs with its marker into a directory", snapshot(t, out), tree{"a.txt": f.rounds[0].tree["docs/a.txt"]})
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() == 0o700 {
		t.Errorf("the directory restored into took the folder's mode: %v %v", fi, err)
	}
}
