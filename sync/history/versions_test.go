package history

import (
	"testing"
)

func TestVersionsOfOneKeyNewestFirstWithDeleteMarkers(t *testing.T) {
	f := newFixture(t, true)
	f.edit()
	var got []string
	for v, err := range Versions(f.ctx, f.st, f.bucket, "docs/c.sh") {
		if err != nil {
			t.Fatal(err)
		}
		kind := "version"
		if v.DeleteMarker {
			kind = "marker"
		}
		if v.IsLatest {
			kind += "+latest"
		}
		got = append(got, kind)
	}
	want := []string{"version+latest", "marker", "version"}
	if len(got) != len(want) {
		t.Fatalf("versions of docs/c.sh: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("versions of docs/c.sh: %v, want %v", got, want)
		}
	}
	n := 0
	for v, err := range Versions(f.ctx, f.st, f.bucket, "a.txt") {
		if err != nil {
			t.Fatal(err)
		}
		if v.Key != "a.txt" {
			t.Errorf("versions of a.txt include %s", v.Key)
		}
		n++
	}
	if n != 4 { // alpha 1, alpha 2, the delete marker of round 4, alpha 4
		t.Errorf("a.txt has %d versions and markers, want 4", n)
	}
	if ok, err := HasVersions(f.ctx, f.st, f.bucket, "docs"); ok || err != nil {
		t.Errorf("HasVersions(docs) = %v, %v; docs is only a prefix", ok, err)
	}
	if ok, err := HasVersions(f.ctx, f.st, f.bucket, "new.txt"); !ok || err != nil {
		t.Errorf("HasVersions(new.txt) = %v, %v; it was deleted but has history", ok, err)
	}
}

func TestVersionsUnderStreamsEveryPage(t *testing.T) {
	f := newFixture(t, true)
	const keys, each = 370, 3 // more than one page of 1000
	for i := range keys {
		for j := range each {
			f.put(keyName(i), string(rune('a'+j)), 0, 0)
		}
	}
	n, last, markers := 0, "", 0
	for v, err := range VersionsUnder(f.ctx, f.st, f.bucket, "k/") {
		if err != nil {
			t.Fatal(err)
		}
		if v.Key < last {
			t.Fatalf("%s listed after %s", v.Key, last)
		}
		if v.DeleteMarker {
			markers++
		}
		last = v.Key
		n++
	}
	if n != keys*each || markers != 0 {
		t.Fatalf("listed %d versions (%d markers), want %d", n, markers, keys*each)
	}
	states := 0
	for ks, err := range StateAt(f.ctx, f.st, f.bucket, "k/", timeNow()) {
		if err != nil {
			t.Fatal(err)
		}
		if ks.Then == nil || ks.Changed() {
			t.Fatalf("%s: state now %+v", ks.Key, ks)
		}
		states++
	}
	if states != keys {
		t.Fatalf("StateAt yielded %d keys, want %d", states, keys)
	}
}

func keyName(i int) string {
	return "k/" + string(rune('a'+i/100%26)) + string(rune('a'+i/10%10)) + string(rune('a'+i%10))
}
