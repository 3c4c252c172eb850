package storetest

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// mustErr fails the test unless err matches target with errors.Is and
// the S3 condition it maps to (objstore.AsError, which an S3 server
// answers with) has target's code: an error must not wrap a second,
// different condition that comes first.
func mustErr(t *testing.T, err, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
	if got, want := objstore.AsError(err).Code, objstore.AsError(target).Code; got != want {
		t.Fatalf("error %v maps to S3 code %s, want %s", err, got, want)
	}
}

// mustOK fails the test when err is not nil.
func mustOK(t *testing.T, err error, what string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(what, args...), err)
	}
}

// markerError returns the *objstore.DeleteMarkerError err wraps, failing
// the test when there is none.
func markerError(t *testing.T, err error) *objstore.DeleteMarkerError {
	t.Helper()
	var dm *objstore.DeleteMarkerError
	if !errors.As(err, &dm) {
		t.Fatalf("error %v is not a *objstore.DeleteMarkerError", err)
	}
	return dm
}

// md5hex is the ETag of a simple object holding data.
func md5hex(data []byte) string {
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}

// md5b64 is the Content-MD5 of data.
func md5b64(data []byte) string {
	sum := md5.Sum(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// multipartETag is the ETag S3 gives an object assembled from parts: the
// hex MD5 of the concatenated binary part MD5s, then "-N".
func multipartETag(parts ...[]byte) string {
	var all []byte
	for _, p := range parts {
		sum := md5.Sum(p)
		all = append(all, sum[:]...)
	}
	return fmt.Sprintf("%s-%d", md5hex(all), len(parts))
}

// fill returns n bytes of deterministic noise chosen by seed.
func fill(n int, seed uint64) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	p := make([]byte, n)
	_, _ = rand.NewChaCha8(key).Read(p)
	return p
}

// putOpts stores data with opts (opts.Size set from data), failing the test
// on error.
func (e *env) putOpts(b, k string, data []byte, opts objstore.PutOptions) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.tryPut(b, k, data, opts)
	mustOK(e.t, err, "put %s/%s", b, k)
	return info
}

// tryPut stores data with opts, setting opts.Size from data.
func (e *env) tryPut(b, k string, data []byte, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	opts.Size = int64(len(data))
	return e.s.PutObject(e.ctx, b, k, bytes.NewReader(data), opts)
}

// put stores data and checks the ETag the store reports.
func (e *env) put(b, k string, data []byte) objstore.ObjectInfo {
	e.t.Helper()
	info := e.putOpts(b, k, data, objstore.PutOptions{})
	if want := md5hex(data); info.ETag != want {
		e.t.Fatalf("put %s/%s: ETag %q, want %q", b, k, info.ETag, want)
	}
	return info
}

// putString stores s under k.
func (e *env) putString(b, k, s string) objstore.ObjectInfo {
	e.t.Helper()
	return e.put(b, k, []byte(s))
}

// tryGet reads an object whole, closing its body.
func (e *env) tryGet(b, k string, opts objstore.GetOptions) ([]byte, *objstore.Object, error) {
	obj, err := e.s.GetObject(e.ctx, b, k, opts)
	if err != nil {
		return nil, nil, err
	}
	defer obj.Body.Close()
	data, err := io.ReadAll(obj.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("read body of %s/%s: %w", b, k, err)
	}
	return data, obj, nil
}

// get reads an object whole, failing the test on error, and checks that
// the body is as long as the store said.
func (e *env) get(b, k string, opts objstore.GetOptions) ([]byte, *objstore.Object) {
	e.t.Helper()
	data, obj, err := e.tryGet(b, k, opts)
	mustOK(e.t, err, "get %s/%s", b, k)
	if int64(len(data)) != obj.Length {
		e.t.Fatalf("get %s/%s: body of %d bytes, Length %d", b, k, len(data), obj.Length)
	}
	return data, obj
}

// getString reads the current version of k as a string.
func (e *env) getString(b, k string) string {
	e.t.Helper()
	data, _ := e.get(b, k, objstore.GetOptions{})
	return string(data)
}

// getVersion reads one version of k as a string.
func (e *env) getVersion(b, k, versionID string) string {
	e.t.Helper()
	data, obj := e.get(b, k, objstore.GetOptions{VersionID: versionID})
	if obj.Info.VersionID != versionID {
		e.t.Fatalf("get %s/%s version %s: got version %q", b, k, versionID, obj.Info.VersionID)
	}
	return string(data)
}

// head reports an object, failing the test on error.
func (e *env) head(b, k string, opts objstore.GetOptions) objstore.ObjectInfo {
	e.t.Helper()
	info, err := e.s.HeadObject(e.ctx, b, k, opts)
	mustOK(e.t, err, "head %s/%s", b, k)
	return info
}

// del deletes k (a version of it when versionID is set).
func (e *env) del(b, k, versionID string) objstore.DeleteResult {
	e.t.Helper()
	res, err := e.s.DeleteObject(e.ctx, b, k, objstore.DeleteOptions{VersionID: versionID})
	mustOK(e.t, err, "delete %s/%s version %q", b, k, versionID)
	return res
}

// expectBody checks that k's current version holds want.
func (e *env) expectBody(b, k string, want []byte) {
	e.t.Helper()
	got, obj := e.get(b, k, objstore.GetOptions{})
	if !bytes.Equal(got, want) {
		e.t.Fatalf("get %s/%s: %d bytes (md5 %s), want %d bytes (md5 %s)",
			b, k, len(got), md5hex(got), len(want), md5hex(want))
	}
	if obj.Info.ETag != md5hex(want) && !isMultipartETag(obj.Info.ETag) {
		e.t.Fatalf("get %s/%s: ETag %q, want %q", b, k, obj.Info.ETag, md5hex(want))
	}
}

// expectMissing checks that k has no current version.
func (e *env) expectMissing(b, k string) {
	e.t.Helper()
	_, _, err := e.tryGet(b, k, objstore.GetOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
	_, err = e.s.HeadObject(e.ctx, b, k, objstore.GetOptions{})
	mustErr(e.t, err, objstore.ErrNoSuchKey)
}

func isMultipartETag(etag string) bool {
	return bytes.ContainsRune([]byte(etag), '-')
}

// putMany stores each key with its own bytes from 8 goroutines at once.
func (e *env) putMany(b string, keys []string, body func(i int) []byte) {
	e.t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				data := body(i)
				opts := objstore.PutOptions{Size: int64(len(data))}
				if _, err := e.s.PutObject(e.ctx, b, keys[i], bytes.NewReader(data), opts); err != nil {
					errs <- fmt.Errorf("put %s/%s: %w", b, keys[i], err)
				}
			}
		})
	}
	for i := range keys {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		e.t.Fatal(err)
	}
}

// equalStrings fails the test when got and want differ.
func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

// keysOf lists the keys of infos in order.
func keysOf(infos []objstore.ObjectInfo) []string {
	keys := make([]string, len(infos))
	for i, o := range infos {
		keys[i] = o.Key
	}
	return keys
}
