package transfer_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/transfer"
)

const mib = 1 << 20

// small makes transfers go multipart from 6 MiB on, in 5 MiB parts, so
// that tests stay small.
func small() transfer.Options {
	return transfer.Options{Threshold: 6 * mib, CopyThreshold: 6 * mib, PartSize: 5 * mib}
}

// newStore opens a disk store in a temp dir with bucket "bkt".
func newStore(t *testing.T) objstore.Store {
	t.Helper()
	st, err := disk.Open(t.TempDir(), disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.CreateBucket(context.Background(), "bkt", objstore.CreateBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// readObject returns the current content of b/key.
func readObject(t *testing.T, st objstore.Store, key string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := transfer.Download(context.Background(), st, "bkt", key, &buf, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noUploadsLeft fails the test if any multipart upload is in progress.
func noUploadsLeft(t *testing.T, st objstore.Store) {
	t.Helper()
	res, err := st.ListMultipartUploads(context.Background(), "bkt", objstore.ListUploadsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Uploads) != 0 {
		t.Fatalf("%d multipart uploads left behind: %+v", len(res.Uploads), res.Uploads)
	}
}

// counter is a Progress callback that adds up what it is told.
type counter struct{ n atomic.Int64 }

func (c *counter) add(n int64) { c.n.Add(n) }

// onlyReader hides every method of r but Read.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func TestUploadSmallIsOnePut(t *testing.T) {
	st := newStore(t)
	data := randomBytes(1000, 1)
	opts := small()
	opts.Put.ContentType = "text/plain"
	info, err := transfer.Upload(context.Background(), st, "bkt", "k", bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		t.Fatal(err)
	}
	if info.ETag != md5hex(data) {
		t.Errorf("ETag %q, want the MD5 of the data %q", info.ETag, md5hex(data))
	}
	head, err := st.HeadObject(context.Background(), "bkt", "k", objstore.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if head.ContentType != "text/plain" || head.PartsCount != 0 {
		t.Errorf("content type %q, %d parts; want text/plain and a single PUT", head.ContentType, head.PartsCount)
	}
	if !bytes.Equal(readObject(t, st, "k"), data) {
		t.Error("object content differs from what was uploaded")
	}
}

func TestUploadMultipart(t *testing.T) {
	data := randomBytes(12*mib+3, 2)
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		body func(t *testing.T) io.Reader
		size int64
	}{
		{"file", func(t *testing.T) io.Reader { return openFile(t, path) }, int64(len(data))},
		{"stream of known size", func(*testing.T) io.Reader { return onlyReader{bytes.NewReader(data)} }, int64(len(data))},
		{"stream of unknown size", func(*testing.T) io.Reader { return onlyReader{bytes.NewReader(data)} }, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStore(t)
			var got counter
			opts := small()
			opts.Progress = got.add
			info, err := transfer.Upload(context.Background(), st, "bkt", "k", c.body(t), c.size, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(info.ETag, "-3") {
				t.Errorf("ETag %q: want a multipart ETag of 3 parts", info.ETag)
			}
			if got.n.Load() != int64(len(data)) {
				t.Errorf("progress told of %d bytes, want %d", got.n.Load(), len(data))
			}
			if !bytes.Equal(readObject(t, st, "k"), data) {
				t.Error("object content differs from what was uploaded")
			}
			noUploadsLeft(t, st)
		})
	}
}

func openFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestUploadStreamBelowThresholdAndEmpty(t *testing.T) {
	st := newStore(t)
	for _, n := range []int{0, 1, 5 * mib} {
		data := randomBytes(n, 3)
		info, err := transfer.Upload(context.Background(), st, "bkt", "k", onlyReader{bytes.NewReader(data)}, -1, small())
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if info.ETag != md5hex(data) || info.Size != int64(n) {
			t.Errorf("%d bytes: ETag %q size %d, want a single PUT of %s", n, info.ETag, info.Size, md5hex(data))
		}
		if !bytes.Equal(readObject(t, st, "k"), data) {
			t.Errorf("%d bytes: content differs", n)
		}
	}
}

// failingReader returns n bytes, then an error.
type failingReader struct{ n int }

var errDiskGone = errors.New("disk gone")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errDiskGone
	}
	k := min(len(p), f.n)
	clear(p[:k])
	f.n -= k
	return k, nil
}

func TestUploadFailureAbortsAndLeavesNoObject(t *testing.T) {
	st := newStore(t)
	_, err := transfer.Upload(context.Background(), st, "bkt", "k", &failingReader{n: 11 * mib}, -1, small())
	if !errors.Is(err, errDiskGone) {
		t.Fatalf("got %v, want the reader's error", err)
	}
	noUploadsLeft(t, st)
	if _, err := st.HeadObject(context.Background(), "bkt", "k", objstore.GetOptions{}); !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Errorf("head after a failed upload: %v, want NoSuchKey", err)
	}
}

func TestUploadShortFileFails(t *testing.T) {
	st := newStore(t)
	_, err := transfer.Upload(context.Background(), st, "bkt", "k", onlyReader{bytes.NewReader(make([]byte, 7*mib))}, 12*mib, small())
	if err == nil {
		t.Fatal("an upload of 7 MiB announced as 12 MiB succeeded")
	}
	noUploadsLeft(t, st)
}

func TestUploadCanceled(t *testing.T) {
	st := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := transfer.Upload(ctx, st, "bkt", "k", bytes.NewReader(make([]byte, 12*mib)), 12*mib, small())
	if err == nil {
		t.Fatal("an upload with a canceled context succeeded")
	}
	noUploadsLeft(t, st)
}
