package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// env is one case's view of the store under test: its testing.T, the store,
// the context of its calls, and the buckets it made so far.
type env struct {
	t        *testing.T
	s        objstore.Store
	ctx      context.Context
	newStore func(t *testing.T) objstore.Store
	buckets  int
}

func newEnv(t *testing.T, s objstore.Store, newStore func(t *testing.T) objstore.Store) *env {
	return &env{t: t, s: s, ctx: t.Context(), newStore: newStore}
}

// freshStore opens a store of the case's own, closed when the case ends.
func (e *env) freshStore() objstore.Store {
	e.t.Helper()
	return openStore(e.t, e.newStore)
}

// bucket creates an unversioned bucket named after the running case.
func (e *env) bucket() string {
	e.t.Helper()
	name := bucketName(e.t.Name(), e.buckets)
	e.buckets++
	if err := e.s.CreateBucket(e.ctx, name, objstore.CreateBucketOptions{}); err != nil {
		e.t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

// versionedBucket creates a bucket with versioning enabled.
func (e *env) versionedBucket() string {
	e.t.Helper()
	b := e.bucket()
	e.setVersioning(b, objstore.VersioningEnabled)
	return b
}

// setVersioning sets a bucket's versioning state and checks it took.
func (e *env) setVersioning(b string, state objstore.VersioningState) {
	e.t.Helper()
	if err := e.s.PutBucketVersioning(e.ctx, b, state); err != nil {
		e.t.Fatalf("put versioning %q on %s: %v", state, b, err)
	}
	got, err := e.s.GetBucketVersioning(e.ctx, b)
	if err != nil {
		e.t.Fatalf("get versioning of %s: %v", b, err)
	}
	if got != state {
		e.t.Fatalf("versioning of %s = %q after setting %q", b, got, state)
	}
}

// bucketName derives a valid S3 bucket name, unique per case and index,
// from a test name: a readable part and a hash of the whole name.
func bucketName(testName string, n int) string {
	sum := sha256.Sum256([]byte(testName))
	base := testName
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	var b strings.Builder
	dash := true // no leading hyphen, no hyphen runs
	for _, c := range strings.ToLower(base) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 32 {
			break
		}
	}
	readable := strings.Trim(b.String(), "-")
	if readable == "" {
		readable = "case"
	}
	return fmt.Sprintf("%s-%x-%d", readable, sum[:4], n)
}
