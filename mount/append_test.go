package mount

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSecondUploadOfOneStagedFile uploads the same staged file twice: the
// second upload must send the whole file, not what lies past the point
// where the first one left the file's offset.
func TestSecondUploadOfOneStagedFile(t *testing.T) {
	st := newStore(t)
	fsys, dir := mountStore(t, st, Options{})
	p := filepath.Join(dir, "log.txt")
	keep, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close() // holds the staged file across both uploads
	if _, err := keep.WriteString("one\n"); err != nil {
		t.Fatal(err)
	}
	if err := keep.Sync(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("two\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close after the second append: %v", err)
	}
	settle(t, fsys)
	if got, _ := get(t, st, "log.txt"); string(got) != "one\ntwo\n" {
		t.Fatalf("store holds %q after two appends, want both lines", got)
	}
}
