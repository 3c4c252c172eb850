package s3client_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3client"
)

// noise returns n bytes of deterministic noise.
func noise(n int, seed uint64) []byte {
	p := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range p {
		p[i] = byte(r.Uint32())
	}
	return p
}

func md5hex(data []byte) string {
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}

// checksumOf is the base64 checksum of data with algorithm a.
func checksumOf(t *testing.T, a objstore.ChecksumAlgorithm, data []byte) string {
	t.Helper()
	h, err := a.NewHash()
	if err != nil {
		t.Fatal(err)
	}
	h.Write(data)
	return objstore.EncodeChecksum(h.Sum(nil))
}

// emptyDir fails the test when dir holds anything: bodies left buffered.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("%s holds %d files", dir, len(entries))
	}
}

// TestPutStreamsUnseekableBody stores a body that can be read only once,
// over plain HTTP, without buffering it anywhere.
func TestPutStreamsUnseekableBody(t *testing.T) {
	srv := startServer(t, serverConfig{})
	tmp := t.TempDir()
	s := openClient(t, s3client.Options{Endpoint: srv.URL, TempDir: tmp})
	mustBucket(t, s, "stream")
	data := noise(6<<20+7, 1) // over the SDK's 100-continue threshold
	info, err := s.PutObject(t.Context(), "stream", "big", streamOnly{bytes.NewReader(data)}, objstore.PutOptions{Size: int64(len(data))})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if info.ETag != md5hex(data) || info.Size != int64(len(data)) {
		t.Fatalf("put: ETag %q size %d, want %q %d", info.ETag, info.Size, md5hex(data), len(data))
	}
	if got := readObject(t, s, "stream", "big"); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes that differ from the %d put", len(got), len(data))
	}
	emptyDir(t, tmp)
}

// TestPutUnknownSize stores bodies of unknown size, small and past the
// in-memory share, and leaves no temporary file behind.
func TestPutUnknownSize(t *testing.T) {
	srv := startServer(t, serverConfig{})
	tmp := t.TempDir()
	s := openClient(t, s3client.Options{Endpoint: srv.URL, TempDir: tmp})
	mustBucket(t, s, "unknown")
	for _, n := range []int{0, 1000, 9 << 20} {
		data := noise(n, uint64(n))
		info, err := s.PutObject(t.Context(), "unknown", "k", streamOnly{bytes.NewReader(data)}, objstore.PutOptions{Size: -1})
		if err != nil {
			t.Fatalf("put of %d bytes: %v", n, err)
		}
		if info.Size != int64(n) || info.ETag != md5hex(data) {
			t.Fatalf("put of %d bytes: size %d ETag %q", n, info.Size, info.ETag)
		}
		if got := readObject(t, s, "unknown", "k"); !bytes.Equal(got, data) {
			t.Fatalf("%d bytes read back differ", n)
		}
		emptyDir(t, tmp)
	}
}

// TestPutUnseekableBodyWithComputedChecksum asks for a checksum of a body
// that can be read only once, over plain HTTP: the store reports the
// checksum of exactly the bytes sent, and Head reports it back.
func TestPutUnseekableBodyWithComputedChecksum(t *testing.T) {
	srv := startServer(t, serverConfig{})
	tmp := t.TempDir()
	s := openClient(t, s3client.Options{Endpoint: srv.URL, TempDir: tmp})
	mustBucket(t, s, "sums")
	data := noise(300<<10, 3)
	for _, a := range []objstore.ChecksumAlgorithm{objstore.ChecksumCRC32C, objstore.ChecksumSHA256} {
		info, err := s.PutObject(t.Context(), "sums", "k", streamOnly{bytes.NewReader(data)},
			objstore.PutOptions{Size: int64(len(data)), Checksum: &objstore.Checksum{Algorithm: a}})
		if err != nil {
			t.Fatalf("put with %s: %v", a, err)
		}
		want := checksumOf(t, a, data)
		if info.Checksum == nil || info.Checksum.Algorithm != a || info.Checksum.Value != want {
			t.Fatalf("put with %s: checksum %+v, want %s", a, info.Checksum, want)
		}
		head, err := s.HeadObject(t.Context(), "sums", "k", objstore.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if head.Checksum == nil || head.Checksum.Value != want {
			t.Fatalf("head after put with %s: checksum %+v, want %s", a, head.Checksum, want)
		}
		emptyDir(t, tmp)
	}
}

// TestPutUnseekableBodyOfWrongLength refuses bodies shorter or longer than
// their size, and the server stores nothing of them.
func TestPutUnseekableBodyOfWrongLength(t *testing.T) {
	srv := startServer(t, serverConfig{})
	s := openClient(t, s3client.Options{Endpoint: srv.URL})
	mustBucket(t, s, "lengths")
	for _, c := range []struct {
		key  string
		body []byte
		size int64
	}{
		{"short", noise(100, 1), 101},
		{"long", noise(101, 1), 100},
		{"long-big", noise(1<<20+1, 2), 1 << 20},
		{"short-big", noise(1<<20, 2), 1<<20 + 1},
	} {
		_, err := s.PutObject(t.Context(), "lengths", c.key, streamOnly{bytes.NewReader(c.body)}, objstore.PutOptions{Size: c.size})
		if !errors.Is(err, objstore.ErrIncompleteBody) {
			t.Errorf("put %s (%d bytes as %d): %v, want IncompleteBody", c.key, len(c.body), c.size, err)
		}
		expectMissing(t, s, "lengths", c.key)
	}
}

// TestMultipartWithUnseekableParts uploads parts that can be read only once.
func TestMultipartWithUnseekableParts(t *testing.T) {
	srv := startServer(t, serverConfig{})
	s := openClient(t, s3client.Options{Endpoint: srv.URL})
	mustBucket(t, s, "parts")
	ctx := t.Context()
	id, err := s.CreateMultipartUpload(ctx, "parts", "mp", objstore.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	one, two := noise(objstore.MinPartSize, 1), noise(1234, 2)
	var done []objstore.CompletedPart
	for i, p := range [][]byte{one, two} {
		part, err := s.UploadPart(ctx, "parts", "mp", id, i+1, streamOnly{bytes.NewReader(p)}, objstore.PartOptions{Size: int64(len(p))})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		if part.ETag != md5hex(p) || part.Size != int64(len(p)) {
			t.Fatalf("part %d: ETag %q size %d", i+1, part.ETag, part.Size)
		}
		done = append(done, objstore.CompletedPart{PartNumber: i + 1, ETag: part.ETag})
	}
	info, err := s.CompleteMultipartUpload(ctx, "parts", "mp", id, done, objstore.CompleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != int64(len(one)+len(two)) || info.PartsCount != 2 {
		t.Fatalf("complete: size %d parts %d", info.Size, info.PartsCount)
	}
	if got := readObject(t, s, "parts", "mp"); !bytes.Equal(got, append(one, two...)) {
		t.Fatal("assembled object differs from its parts")
	}
}

// countingSeeker is a rewindable body that counts the bytes read from it.
type countingSeeker struct {
	r *bytes.Reader
	n int64
}

func (c *countingSeeker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingSeeker) Seek(off int64, whence int) (int64, error) { return c.r.Seek(off, whence) }

// TestUnsignedPayloadReadsBodyOnce: over plain HTTP to another machine a
// rewindable body is read twice to sign its hash, and once with
// Options.UnsignedPayload. The server is reached by a name that is not
// a loopback one, as another machine would be.
func TestUnsignedPayloadReadsBodyOnce(t *testing.T) {
	srv := startServer(t, serverConfig{})
	addr := srv.Listener.Addr().String()
	remote := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	data := noise(1<<20, 5)
	for _, c := range []struct {
		unsigned bool
		reads    int64
	}{{false, 2}, {true, 1}} {
		s := openClient(t, s3client.Options{Endpoint: "http://s3.remote.test", HTTPClient: remote, UnsignedPayload: c.unsigned})
		bucket := "signed"
		if c.unsigned {
			bucket = "unsigned"
		}
		mustBucket(t, s, bucket)
		body := &countingSeeker{r: bytes.NewReader(data)}
		info, err := s.PutObject(t.Context(), bucket, "k", body, objstore.PutOptions{Size: int64(len(data))})
		if err != nil {
			t.Fatalf("put (unsigned %v): %v", c.unsigned, err)
		}
		if info.ETag != md5hex(data) {
			t.Fatalf("put (unsigned %v): ETag %q", c.unsigned, info.ETag)
		}
		if body.n != c.reads*int64(len(data)) {
			t.Errorf("unsigned %v: read %d bytes of a %d-byte body, want %d times", c.unsigned, body.n, len(data), c.reads)
		}
	}
}
