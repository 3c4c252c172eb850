package pair

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveLoadFind(t *testing.T) {
	root := t.TempDir()
	p := Pair{Local: root, Bucket: "b", Prefix: "docs/", Endpoint: "http://127.0.0.1:9", Mode: "backup"}
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, rel, err := Find(filepath.Join(root, "a", "b", "gone.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got != p || rel != "a/b/gone.txt" {
		t.Fatalf("Find = %+v %q, want %+v a/b/gone.txt", got, rel, p)
	}
	if k := got.Key(rel); k != "docs/a/b/gone.txt" {
		t.Fatalf("Key = %q", k)
	}
	if r, ok := got.Rel("docs/x/y"); !ok || r != "x/y" {
		t.Fatalf("Rel = %q %v", r, ok)
	}
	if err := os.WriteFile(filepath.Join(root, "a", "f.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, rel, err := Find(filepath.Join(root, "a", "f.txt")); err != nil || rel != "a/f.txt" {
		t.Fatalf("Find(existing file) = %q, %v", rel, err)
	}
	if _, rel, err := Find(root); err != nil || rel != "" {
		t.Fatalf("Find(root) = %q, %v", rel, err)
	}
}

func TestFindOutside(t *testing.T) {
	_, _, err := Find(t.TempDir())
	if !errors.Is(err, ErrNotSynced) {
		t.Fatalf("Find outside a synced folder: %v, want ErrNotSynced", err)
	}
}
