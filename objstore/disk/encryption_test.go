package disk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/sse"
)

// openEncrypted opens a store with a key service in dir/keys.
func openEncrypted(t *testing.T, dir string) *Store {
	t.Helper()
	keys, err := sse.Open(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close() })
	return openTest(t, dir, Options{Keys: keys})
}

// onDisk tells whether any file under dir holds needle.
func onDisk(t *testing.T, dir string, needle []byte) string {
	t.Helper()
	var found string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, needle) {
			found = path
		}
		return nil
	})
	return found
}

func readAll(t *testing.T, s *Store, bucket, key string, opts objstore.GetOptions) ([]byte, error) {
	t.Helper()
	obj, err := s.GetObject(context.Background(), bucket, key, opts)
	if err != nil {
		return nil, err
	}
	defer obj.Body.Close()
	return io.ReadAll(obj.Body)
}

var customerKey = bytes.Repeat([]byte{7}, 32)

func encryptions() map[string]objstore.Encryption {
	return map[string]objstore.Encryption{
		"SSE-S3":   {Algorithm: "AES256"},
		"SSE-KMS":  {Algorithm: "aws:kms"},
		"DSSE-KMS": {Algorithm: "aws:kms:dsse"},
		"SSE-C":    {CustomerKey: customerKey},
	}
}

func TestEncryptedObjectsReadBackWholeAndInRanges(t *testing.T) {
	dir := t.TempDir()
	s := openEncrypted(t, dir)
	mkBucket(t, s, "bkt")
	ctx := context.Background()
	for name, enc := range encryptions() {
		for _, size := range []int{100, 200 << 10} {
			data := randBytes(size, uint64(size))
			info, err := s.PutObject(ctx, "bkt", name, bytes.NewReader(data), objstore.PutOptions{Size: int64(size), Encryption: enc})
			if err != nil {
				t.Fatalf("%s put: %v", name, err)
			}
			if info.ETag != md5hex(data) || info.Size != int64(size) {
				t.Fatalf("%s: etag %s size %d, want the plaintext's", name, info.ETag, info.Size)
			}
			if !sse.Encrypted(info.Encryption) || info.Encryption.CustomerKey != nil {
				t.Fatalf("%s: reported encryption %+v", name, info.Encryption)
			}
			var ck []byte
			if enc.CustomerKey != nil {
				ck = customerKey
			}
			got, err := readAll(t, s, "bkt", name, objstore.GetOptions{SSECustomerKey: ck})
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%s %d bytes: read back differs (err %v)", name, size, err)
			}
			for _, r := range []objstore.Range{{First: 0, Last: 0}, {First: 50, Last: 99}, {First: 1, Last: -1}, {SuffixLength: 7}} {
				r := r
				if size > 100<<10 {
					r = objstore.Range{First: sse.ChunkSize - 3, Last: 2*sse.ChunkSize + 4}
				}
				off, n, _ := r.Resolve(int64(size))
				got, err := readAll(t, s, "bkt", name, objstore.GetOptions{Range: &r, SSECustomerKey: ck})
				if err != nil || !bytes.Equal(got, data[off:off+n]) {
					t.Fatalf("%s range %s: wrong bytes (err %v)", name, r.String(), err)
				}
			}
			if where := onDisk(t, dir, data[10:42]); where != "" {
				t.Fatalf("%s %d bytes: plaintext found in %s", name, size, where)
			}
		}
	}
}

func TestCustomerKeyRequiredAndChecked(t *testing.T) {
	s := openEncrypted(t, t.TempDir())
	mkBucket(t, s, "bkt")
	ctx := context.Background()
	data := randBytes(300<<10, 1)
	if _, err := s.PutObject(ctx, "bkt", "c", bytes.NewReader(data), objstore.PutOptions{Size: -1, Encryption: objstore.Encryption{CustomerKey: customerKey}}); err != nil {
		t.Fatal(err)
	}
	wrong := bytes.Repeat([]byte{8}, 32)
	for _, c := range []struct {
		key  []byte
		want error
	}{{nil, sse.ErrCustomerKeyMissing}, {wrong, sse.ErrCustomerKeyWrong}} {
		if _, err := readAll(t, s, "bkt", "c", objstore.GetOptions{SSECustomerKey: c.key}); !errors.Is(err, c.want) {
			t.Errorf("get with key %x: %v, want %v", c.key, err, c.want)
		}
		if _, err := s.HeadObject(ctx, "bkt", "c", objstore.GetOptions{SSECustomerKey: c.key}); !errors.Is(err, c.want) {
			t.Errorf("head with key %x: %v, want %v", c.key, err, c.want)
		}
	}
	put(t, s, "bkt", "plain", []byte("x"))
	if _, err := readAll(t, s, "bkt", "plain", objstore.GetOptions{SSECustomerKey: customerKey}); !errors.Is(err, sse.ErrNotApplicable) {
		t.Errorf("SSE-C key on an unencrypted object: %v", err)
	}
}

func TestEncryptedMultipart(t *testing.T) {
	dir := t.TempDir()
	s := openEncrypted(t, dir)
	mkBucket(t, s, "bkt")
	ctx := context.Background()
	id, err := s.CreateMultipartUpload(ctx, "bkt", "mp", objstore.PutOptions{Encryption: objstore.Encryption{Algorithm: "aws:kms"}})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := randBytes(objstore.MinPartSize, 2), randBytes(100<<10, 3)
	var parts []objstore.CompletedPart
	for i, p := range [][]byte{p1, p2} {
		pi, err := s.UploadPart(ctx, "bkt", "mp", id, i+1, bytes.NewReader(p), objstore.PartOptions{Size: int64(len(p))})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, objstore.CompletedPart{PartNumber: i + 1, ETag: pi.ETag})
	}
	info, err := s.CompleteMultipartUpload(ctx, "bkt", "mp", id, parts, objstore.CompleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Encryption.Algorithm != "aws:kms" || info.Encryption.KMSKeyID == "" {
		t.Fatalf("completed object's encryption %+v", info.Encryption)
	}
	whole := append(append([]byte(nil), p1...), p2...)
	r := objstore.Range{First: int64(len(p1)) - 10, Last: int64(len(p1)) + 10}
	if got, err := readAll(t, s, "bkt", "mp", objstore.GetOptions{Range: &r}); err != nil || !bytes.Equal(got, whole[r.First:r.Last+1]) {
		t.Fatalf("range across the parts: err %v", err)
	}
	if got, err := readAll(t, s, "bkt", "mp", objstore.GetOptions{PartNumber: 2}); err != nil || !bytes.Equal(got, p2) {
		t.Fatalf("part 2: err %v", err)
	}
	if where := onDisk(t, dir, p2[:32]); where != "" {
		t.Fatalf("plaintext of a part found in %s", where)
	}
	// A part copied from the encrypted object into a plain upload is in the clear.
	id2, _ := s.CreateMultipartUpload(ctx, "bkt", "plain", objstore.PutOptions{})
	pc, err := s.UploadPartCopy(ctx, "bkt", "plain", id2, 1, objstore.PartCopyOptions{Source: objstore.CopySource{Bucket: "bkt", Key: "mp"}, Range: &r})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteMultipartUpload(ctx, "bkt", "plain", id2, []objstore.CompletedPart{{PartNumber: 1, ETag: pc.ETag}}, objstore.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "bkt", "plain", objstore.GetOptions{}); !bytes.Equal(got, whole[r.First:r.Last+1]) {
		t.Fatal("part copy from an encrypted source: wrong bytes")
	}
}

func TestCopyBetweenEncryptions(t *testing.T) {
	dir := t.TempDir()
	s := openEncrypted(t, dir)
	mkBucket(t, s, "bkt")
	ctx := context.Background()
	data := randBytes(150<<10, 4)
	src, err := s.PutObject(ctx, "bkt", "src", bytes.NewReader(data), objstore.PutOptions{Size: -1, Encryption: objstore.Encryption{CustomerKey: customerKey}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		to   string
		from objstore.CopySource
		enc  objstore.Encryption
		want string
	}{
		{"s3", objstore.CopySource{Bucket: "bkt", Key: "src", SSECustomerKey: customerKey}, objstore.Encryption{Algorithm: "AES256"}, "AES256"},
		{"kms", objstore.CopySource{Bucket: "bkt", Key: "s3"}, objstore.Encryption{Algorithm: "aws:kms"}, "aws:kms"},
		{"s3again", objstore.CopySource{Bucket: "bkt", Key: "s3"}, objstore.Encryption{Algorithm: "AES256"}, "AES256"},
		{"clear", objstore.CopySource{Bucket: "bkt", Key: "kms"}, objstore.Encryption{}, ""},
	}
	for _, st := range steps {
		info, err := s.CopyObject(ctx, "bkt", st.to, objstore.CopyOptions{Source: st.from, Encryption: st.enc})
		if err != nil {
			t.Fatalf("copy to %s: %v", st.to, err)
		}
		if info.Encryption.Algorithm != st.want || info.ETag != src.ETag {
			t.Fatalf("copy to %s: encryption %+v etag %s", st.to, info.Encryption, info.ETag)
		}
		if got := get(t, s, "bkt", st.to, objstore.GetOptions{}); !bytes.Equal(got, data) {
			t.Fatalf("copy to %s: wrong bytes", st.to)
		}
	}
	if _, err := s.CopyObject(ctx, "bkt", "x", objstore.CopyOptions{Source: objstore.CopySource{Bucket: "bkt", Key: "src"}}); !errors.Is(err, sse.ErrCustomerKeyMissing) {
		t.Fatalf("copy of an SSE-C source without its key: %v", err)
	}
	if where := onDisk(t, dir, data[:32]); where == "" {
		t.Fatal("the copy written in the clear is not on disk in the clear")
	}
}

func TestBucketDefaultEncryption(t *testing.T) {
	dir := t.TempDir()
	s := openEncrypted(t, dir)
	mkBucket(t, s, "bkt")
	ctx := context.Background()
	d := sse.BucketDefault{Algorithm: "aws:kms:dsse"}
	if err := s.PutBucketConfig(ctx, "bkt", sse.ConfigName, d.Encode()); err != nil {
		t.Fatal(err)
	}
	data := randBytes(10, 5)
	info := put(t, s, "bkt", "k", data)
	if info.Encryption.Algorithm != "aws:kms:dsse" {
		t.Fatalf("put without encryption under a default: %+v", info.Encryption)
	}
	id, _ := s.CreateMultipartUpload(ctx, "bkt", "mp", objstore.PutOptions{})
	pi, _ := s.UploadPart(ctx, "bkt", "mp", id, 1, bytes.NewReader(data), objstore.PartOptions{Size: 10})
	mp, err := s.CompleteMultipartUpload(ctx, "bkt", "mp", id, []objstore.CompletedPart{{PartNumber: 1, ETag: pi.ETag}}, objstore.CompleteOptions{})
	if err != nil || mp.Encryption.Algorithm != "aws:kms:dsse" {
		t.Fatalf("multipart under a default: %+v, %v", mp.Encryption, err)
	}
	if got := get(t, s, "bkt", "mp", objstore.GetOptions{}); !bytes.Equal(got, data) {
		t.Fatal("wrong bytes")
	}
}

func TestEncryptionWithoutKeyService(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "bkt")
	_, err := s.PutObject(context.Background(), "bkt", "k", bytes.NewReader(nil), objstore.PutOptions{Size: 0, Encryption: objstore.Encryption{Algorithm: "AES256"}})
	if !errors.Is(err, objstore.ErrNotImplemented) {
		t.Fatalf("SSE-S3 without a key service: %v", err)
	}
}
