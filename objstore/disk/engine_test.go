package disk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
)

func TestReopenKeepsEverything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	mkBucket(t, s, "keep")
	if err := s.PutBucketVersioning(ctx, "keep", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	small, big := []byte("small object"), randBytes(3<<20, 1)
	v1 := put(t, s, "keep", "a/small", small)
	put(t, s, "keep", "a/small", []byte("second version"))
	put(t, s, "keep", "b/big", big)
	del, err := s.DeleteObject(ctx, "keep", "gone", objstore.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up, err := s.CreateMultipartUpload(ctx, "keep", "mp", objstore.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	part := randBytes(1000, 2)
	if _, err := s.UploadPart(ctx, "keep", "mp", up, 1, bytes.NewReader(part), objstore.PartOptions{Size: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, Options{})
	if v, err := s.GetBucketVersioning(ctx, "keep"); err != nil || v != objstore.VersioningEnabled {
		t.Fatalf("versioning after reopen: %q, %v", v, err)
	}
	if got := get(t, s, "keep", "a/small", objstore.GetOptions{VersionID: v1.VersionID}); string(got) != string(small) {
		t.Fatalf("first version after reopen: %q", got)
	}
	if got := get(t, s, "keep", "a/small", objstore.GetOptions{}); string(got) != "second version" {
		t.Fatalf("current version after reopen: %q", got)
	}
	if got := get(t, s, "keep", "b/big", objstore.GetOptions{}); !bytes.Equal(got, big) {
		t.Fatalf("big object after reopen: %d bytes, differ", len(got))
	}
	_, err = s.HeadObject(ctx, "keep", "gone", objstore.GetOptions{})
	var dm *objstore.DeleteMarkerError
	if !errors.As(err, &dm) || dm.VersionID != del.VersionID {
		t.Fatalf("delete marker after reopen: %v", err)
	}
	parts, err := s.ListParts(ctx, "keep", "mp", up, objstore.ListPartsOptions{})
	if err != nil || len(parts.Parts) != 1 || parts.Parts[0].ETag != md5hex(part) {
		t.Fatalf("parts after reopen: %+v, %v", parts, err)
	}
	waitSweep(s)
	if got := get(t, s, "keep", "b/big", objstore.GetOptions{}); !bytes.Equal(got, big) {
		t.Fatal("the sweep took a live object's data")
	}
	info, err := s.CompleteMultipartUpload(ctx, "keep", "mp", up, []objstore.CompletedPart{{PartNumber: 1, ETag: md5hex(part)}}, objstore.CompleteOptions{})
	if err != nil || info.Size != 1000 {
		t.Fatalf("complete after reopen and sweep: %+v, %v", info, err)
	}
	if got := get(t, s, "keep", "mp", objstore.GetOptions{}); !bytes.Equal(got, part) {
		t.Fatal("multipart object differs")
	}
}

func TestOrphanFilesAreSwept(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "bkt")
	live := randBytes(200<<10, 3)
	put(t, s, "bkt", "live", live)
	waitSweep(s)
	s.Close()

	orphan := newLayout(dir).dataFile(newFileID())
	if err := os.WriteFile(orphan, []byte("left by a crash"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(orphan, old, old); err != nil {
		t.Fatal(err)
	}
	stranger := dir + "/data/ab/not-a-data-file"
	if err := os.WriteFile(stranger, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, Options{})
	waitSweep(s)
	if _, err := os.Stat(orphan); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("orphan still there: %v", err)
	}
	if _, err := os.Stat(stranger); err != nil {
		t.Fatalf("a file the engine did not name was touched: %v", err)
	}
	if got := get(t, s, "bkt", "live", objstore.GetOptions{}); !bytes.Equal(got, live) {
		t.Fatal("live object lost to the sweep")
	}
}

// failingReader yields n bytes, then fails.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

func TestFailedPutLeavesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "bkt")
	waitSweep(s)
	cases := []struct {
		name string
		body io.Reader
		opts objstore.PutOptions
		want error
	}{
		{"reader fails midway", &failingReader{n: 3 << 20}, objstore.PutOptions{Size: 8 << 20}, nil},
		{"body too short", bytes.NewReader(make([]byte, 2<<20)), objstore.PutOptions{Size: 4 << 20}, objstore.ErrIncompleteBody},
		{"body too long", bytes.NewReader(make([]byte, 2<<20)), objstore.PutOptions{Size: 1 << 20}, objstore.ErrIncompleteBody},
		{"bad content-md5", bytes.NewReader(make([]byte, 2<<20)), objstore.PutOptions{Size: 2 << 20, ContentMD5: "1B2M2Y8AsgTpgAmY7PhCfg=="}, objstore.ErrBadDigest},
		{"bad checksum", bytes.NewReader(make([]byte, 2<<20)), objstore.PutOptions{Size: 2 << 20, Checksum: &objstore.Checksum{Algorithm: objstore.ChecksumCRC32, Value: "AAAAAA=="}}, objstore.ErrBadDigest},
		{"unknown size fails", &failingReader{n: 5 << 20}, objstore.PutOptions{Size: -1}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.PutObject(ctx, "bkt", "k", c.body, c.opts)
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
				t.Fatalf("put: %v, want %v", err, c.want)
			}
			if files := dataFiles(t, dir); len(files) != 0 {
				t.Fatalf("failed put left %v", files)
			}
			if _, err := s.HeadObject(ctx, "bkt", "k", objstore.GetOptions{}); !errors.Is(err, objstore.ErrNoSuchKey) {
				t.Fatalf("failed put left an object: %v", err)
			}
		})
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	_, err := Open(dir, Options{Logger: quiet()})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second open: %v, want ErrLocked naming %s", err, dir)
	}
	s.Close()
	s2, err := Open(dir, Options{Logger: quiet()})
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s2.Close()
}

func TestInlineAndFileObjects(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{InlineThreshold: 1024})
	mkBucket(t, s, "bkt")
	waitSweep(s)
	small, edge, big := randBytes(1023, 4), randBytes(1024, 5), randBytes(5000, 6)
	for key, data := range map[string][]byte{"small": small, "edge": edge, "big": big, "empty": {}} {
		info := put(t, s, "bkt", key, data)
		if info.ETag != md5hex(data) || info.Size != int64(len(data)) {
			t.Fatalf("%s: put info %+v", key, info)
		}
		if got := get(t, s, "bkt", key, objstore.GetOptions{}); !bytes.Equal(got, data) {
			t.Fatalf("%s: read back %d bytes, differ", key, len(got))
		}
		rng := &objstore.Range{First: 1, Last: 10}
		if len(data) > 10 {
			if got := get(t, s, "bkt", key, objstore.GetOptions{Range: rng}); !bytes.Equal(got, data[1:11]) {
				t.Fatalf("%s: range read %q", key, got)
			}
		}
	}
	// Unknown size: the engine finds out on its own which side it falls.
	for key, data := range map[string][]byte{"small-stream": small, "big-stream": big} {
		if _, err := s.PutObject(context.Background(), "bkt", key, io.MultiReader(bytes.NewReader(data)), objstore.PutOptions{Size: -1}); err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, "bkt", key, objstore.GetOptions{}); !bytes.Equal(got, data) {
			t.Fatalf("%s: read back differs", key)
		}
	}
	if files := dataFiles(t, dir); len(files) != 3 {
		t.Fatalf("want files for edge, big and big-stream only, have %v", files)
	}
	s.Close()

	dir = t.TempDir()
	s = openTest(t, dir, Options{InlineThreshold: -1})
	mkBucket(t, s, "bkt")
	put(t, s, "bkt", "tiny", []byte("x"))
	if files := dataFiles(t, dir); len(files) != 1 {
		t.Fatalf("inline disabled: want one file, have %v", files)
	}
}

func TestReaderOutlivesDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "bkt")
	data := randBytes(4<<20, 7)
	put(t, s, "bkt", "k", data)
	waitSweep(s)

	obj, err := s.GetObject(ctx, "bkt", "k", objstore.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 1000)
	if _, err := io.ReadFull(obj.Body, head); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteObject(ctx, "bkt", "k", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	put(t, s, "bkt", "k", []byte("new"))
	rest, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatalf("read after delete: %v", err)
	}
	if !bytes.Equal(append(head, rest...), data) {
		t.Fatal("reader across a delete saw other bytes")
	}
	obj.Body.Close()
	s.files.flush()
	if files := dataFiles(t, dir); len(files) != 0 {
		t.Fatalf("deleted version's file outlived its last reader: %v", files)
	}
}

func TestMultipartReaderOutlivesDelete(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mkBucket(t, s, "bkt")
	up, err := s.CreateMultipartUpload(ctx, "bkt", "mp", objstore.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := randBytes(objstore.MinPartSize, 8), randBytes(1234, 9)
	var parts []objstore.CompletedPart
	for i, p := range [][]byte{p1, p2} {
		pi, err := s.UploadPart(ctx, "bkt", "mp", up, i+1, bytes.NewReader(p), objstore.PartOptions{Size: int64(len(p))})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, objstore.CompletedPart{PartNumber: i + 1, ETag: pi.ETag})
	}
	if _, err := s.CompleteMultipartUpload(ctx, "bkt", "mp", up, parts, objstore.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	obj, err := s.GetObject(ctx, "bkt", "mp", objstore.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	if _, err := s.DeleteObject(ctx, "bkt", "mp", objstore.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	// The second part's file is opened only when the reader gets there.
	got, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatalf("read after delete: %v", err)
	}
	if !bytes.Equal(got, append(append([]byte(nil), p1...), p2...)) {
		t.Fatal("multipart reader across a delete saw other bytes")
	}
}

func TestClosedStoreRefusesCalls(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "bkt")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	checks := map[string]error{
		"create bucket": s.CreateBucket(ctx, "ccc", objstore.CreateBucketOptions{}),
	}
	_, checks["put"] = s.PutObject(ctx, "bkt", "k", strings.NewReader("x"), objstore.PutOptions{Size: 1})
	_, checks["get"] = s.GetObject(ctx, "bkt", "k", objstore.GetOptions{})
	_, checks["list"] = s.ListObjects(ctx, "bkt", objstore.ListOptions{})
	_, checks["list buckets"] = s.ListBuckets(ctx)
	_, checks["delete"] = s.DeleteObject(ctx, "bkt", "k", objstore.DeleteOptions{})
	for op, err := range checks {
		if !errors.Is(err, objstore.ErrStoreClosed) {
			t.Errorf("%s after close: %v", op, err)
		}
	}
}

// eofReader returns its last bytes together with io.EOF, as io.Reader
// allows.
type eofReader struct{ data []byte }

func (r *eofReader) Read(p []byte) (int, error) {
	n := copy(p, r.data)
	r.data = r.data[n:]
	if len(r.data) == 0 {
		return n, io.EOF
	}
	return n, nil
}

func TestBodyEndingWithDataAndEOF(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "bkt")
	for _, size := range []int{10, 100 << 10, 3 << 20} {
		data := randBytes(size, uint64(size))
		for _, known := range []int64{int64(size), -1} {
			_, err := s.PutObject(context.Background(), "bkt", "k", &eofReader{data: data}, objstore.PutOptions{Size: known})
			if err != nil {
				t.Fatalf("%d bytes, size %d: %v", size, known, err)
			}
			if got := get(t, s, "bkt", "k", objstore.GetOptions{}); !bytes.Equal(got, data) {
				t.Fatalf("%d bytes, size %d: read back differs", size, known)
			}
		}
	}
}
