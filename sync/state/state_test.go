package state

import (
	"errors"
	"slices"
	"testing"
)

func TestRecordsScopeAndReopen(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"a/b", "a/bc", "a/b/c", "a.txt", "z"} {
		if err := db.Put(rel, Record{Size: int64(len(rel)), Hash: rel}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.PutUpload("a/b", Upload{ID: "u1", Size: 9}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	for e, err := range db.Records("a/b") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Rel)
	}
	if want := []string{"a/b", "a/b/c"}; !slices.Equal(got, want) {
		t.Fatalf("Records(a/b) = %v, want %v", got, want)
	}
	got = got[:0]
	for e, err := range db.Records("") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Rel)
	}
	if want := []string{"a.txt", "a/b", "a/b/c", "a/bc", "z"}; !slices.Equal(got, want) {
		t.Fatalf("Records() = %v, want %v (byte order, no uploads)", got, want)
	}
	if u, ok, err := db.GetUpload("a/b"); err != nil || !ok || u.ID != "u1" {
		t.Fatalf("GetUpload = %+v %v %v", u, ok, err)
	}
	if err := db.Delete("z"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.Get("z"); ok {
		t.Fatal("deleted record still there")
	}
	if n, _ := db.Count(); n != 4 {
		t.Fatalf("Count = %d, want 4", n)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Open(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
}
