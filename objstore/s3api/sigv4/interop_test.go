package sigv4

import (
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// upload is what the test server saw of one authenticated PUT.
type upload struct {
	mode     PayloadMode
	data     []byte
	checksum *objstore.Checksum
}

// objectServer is a minimal S3 object server on 127.0.0.1 that
// authenticates every request with a Verifier and keeps objects in memory.
type objectServer struct {
	v       *Verifier
	mu      sync.Mutex
	objects map[string][]byte
	last    upload
}

func (s *objectServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	auth, err := s.v.Verify(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	body, err := auth.Body(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	data, err := io.ReadAll(body)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		s.objects[r.URL.Path] = data
		s.last = upload{mode: auth.Payload, data: data, checksum: body.Checksum()}
		w.Header().Set("ETag", `"etag"`)
	case http.MethodGet:
		obj, ok := s.objects[r.URL.Path]
		if !ok {
			s.fail(w, objstore.ErrNoSuchKey)
			return
		}
		w.Write(obj)
	}
}

func (s *objectServer) fail(w http.ResponseWriter, err error) {
	e := objstore.AsError(err)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	io.WriteString(w, "<Error><Code>"+e.Code+"</Code><Message>"+e.Message+"</Message></Error>")
}

func startServer(t *testing.T, tls bool) (*objectServer, *httptest.Server) {
	s := &objectServer{v: &Verifier{Credentials: testCreds{docAccessKey: docSecret}}, objects: map[string][]byte{}}
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(s)
	} else {
		srv = httptest.NewServer(s)
	}
	t.Cleanup(srv.Close)
	return s, srv
}

func s3Client(srv *httptest.Server, secret string) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: docAccessKey, SecretAccessKey: secret}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

// Keys whose bytes SigV4 encodes: S3 encodes them once, never twice.
var interopKeys = []string{"plain.txt", "dir/sub/a b+c.txt", "odd !'()*~$&=;,@:.txt", "ünï/çødé ✓.bin", "pct%20literal%2F.txt", "double//slash/./dot/../x"}

func TestInteropSDKPutGet(t *testing.T) {
	ctx := context.Background()
	for _, tls := range []bool{false, true} {
		srv, hs := startServer(t, tls)
		client := s3Client(hs, docSecret)
		for _, key := range interopKeys {
			data := pattern(70 << 10)
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key), Body: bytes.NewReader(data)})
			if err != nil {
				t.Fatalf("tls=%v PutObject %q: %v", tls, key, err)
			}
			if !bytes.Equal(srv.last.data, data) {
				t.Fatalf("tls=%v key %q: server got %d bytes, sent %d", tls, key, len(srv.last.data), len(data))
			}
			// Over plain HTTP the SDK signs the body's SHA-256; over TLS it
			// leaves the body unsigned.
			if want := map[bool]PayloadMode{false: PayloadSigned, true: PayloadUnsigned}[tls]; srv.last.mode != want {
				t.Fatalf("tls=%v: payload mode %s, want %s", tls, srv.last.mode, want)
			}
			if c := srv.last.checksum; c != nil && c.Value != objstore.EncodeChecksum(crc32Of(data)) {
				t.Fatalf("trailing checksum %+v is not the CRC32 of the data", c)
			}
			out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("tls=%v GetObject %q: %v", tls, key, err)
			}
			got, _ := io.ReadAll(out.Body)
			out.Body.Close()
			if !bytes.Equal(got, data) {
				t.Fatalf("GetObject %q returned other bytes", key)
			}
		}
	}
}

func crc32Of(b []byte) []byte {
	h := crc32.NewIEEE()
	h.Write(b)
	return h.Sum(nil)
}

// Over TLS the SDK streams with STREAMING-UNSIGNED-PAYLOAD-TRAILER and a
// trailing checksum; each algorithm reaches the server verified.
func TestInteropSDKTrailingChecksums(t *testing.T) {
	ctx := context.Background()
	srv, hs := startServer(t, true)
	client := s3Client(hs, docSecret)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256} {
		data := pattern(150 << 10)
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("k"),
			Body: io.NopCloser(bytes.NewReader(data)), ChecksumAlgorithm: alg, ContentLength: aws.Int64(int64(len(data)))})
		if err != nil {
			t.Fatalf("PutObject with %s: %v", alg, err)
		}
		if srv.last.mode != PayloadStreamingUnsignedTrailer {
			t.Fatalf("%s: payload mode %s", alg, srv.last.mode)
		}
		h, _ := objstore.ChecksumAlgorithm(alg).NewHash()
		h.Write(data)
		if c := srv.last.checksum; c == nil || c.Algorithm != objstore.ChecksumAlgorithm(alg) || c.Value != objstore.EncodeChecksum(h.Sum(nil)) {
			t.Fatalf("%s: server reports checksum %+v", alg, c)
		}
	}
}

func TestInteropSDKWrongSecret(t *testing.T) {
	_, hs := startServer(t, false)
	_, err := s3Client(hs, "not the secret").GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("k")})
	var apiErr interface{ ErrorCode() string }
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SignatureDoesNotMatch" {
		t.Fatalf("GetObject with a wrong secret: %v, want SignatureDoesNotMatch", err)
	}
}

func TestInteropSDKPresignedURLs(t *testing.T) {
	ctx := context.Background()
	srv, hs := startServer(t, false)
	presigner := s3.NewPresignClient(s3Client(hs, docSecret), s3.WithPresignExpires(time.Minute))
	for _, key := range interopKeys {
		put, err := presigner.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(put.Method, put.URL, strings.NewReader("presigned "+key))
		req.Header = put.SignedHeader.Clone()
		req.Header.Del("Host")
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(srv.last.data) != "presigned "+key {
			t.Fatalf("pre-signed PUT %q: %s, stored %q", key, resp.Status, srv.last.data)
		}
		get, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		for name, u := range map[string]string{"sdk": get.URL, "ours": mustPresign(t, hs.URL+"/bucket/"+escapeKey(key))} {
			resp, err := hs.Client().Get(u)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || string(got) != "presigned "+key {
				t.Fatalf("%s pre-signed GET %q: %s %s", name, key, resp.Status, got)
			}
		}
	}
}

func mustPresign(t *testing.T, u string) string {
	p, err := Presign("GET", u, "us-east-1", docAccessKey, docSecret, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// escapeKey encodes a key for a URL path the way S3 clients do.
func escapeKey(key string) string { return uriEncode(key, true) }
