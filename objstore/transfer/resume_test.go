package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

// partCounter counts UploadPart calls and fails the one numbered failOn.
type partCounter struct {
	objstore.Store
	calls  atomic.Int64
	failOn int
}

var errInjected = errors.New("injected part failure")

func (p *partCounter) UploadPart(ctx context.Context, bucket, key, id string, n int, r io.Reader, o objstore.PartOptions) (objstore.PartInfo, error) {
	p.calls.Add(1)
	if n == p.failOn {
		return objstore.PartInfo{}, errInjected
	}
	return p.Store.UploadPart(ctx, bucket, key, id, n, r, o)
}

func TestUploadResumableKeepsStoredParts(t *testing.T) {
	ctx := context.Background()
	base := newStore(t)
	data := randomBytes(6*objstore.MinPartSize+123, 7)
	opts := small()
	opts.Concurrency = 1
	st := &partCounter{Store: base, failOn: 4}
	var id string
	started := func(u string) error { id = u; return nil }

	_, err := transfer.UploadResumable(ctx, st, "bkt", "big", bytes.NewReader(data), int64(len(data)), transfer.Resume{Started: started}, opts)
	if !errors.Is(err, errInjected) {
		t.Fatalf("first upload: %v, want the injected failure", err)
	}
	if id == "" {
		t.Fatal("Started was not told the upload ID")
	}
	if _, err := base.HeadObject(ctx, "bkt", "big", objstore.GetOptions{}); !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Fatalf("a failed upload left an object: %v", err)
	}

	st.failOn, st.calls = 0, atomic.Int64{}
	info, err := transfer.UploadResumable(ctx, st, "bkt", "big", bytes.NewReader(data), int64(len(data)), transfer.Resume{UploadID: id, Started: started}, opts)
	if err != nil {
		t.Fatalf("resumed upload: %v", err)
	}
	if got := st.calls.Load(); got != 4 {
		t.Fatalf("resume sent %d parts, want 4 (parts 1-3 were stored)", got)
	}
	if !bytes.Equal(readObject(t, base, "big"), data) || info.PartsCount != 7 {
		t.Fatalf("resumed object differs (parts %d)", info.PartsCount)
	}
	noUploadsLeft(t, base)
}

func TestUploadResumableForgottenUploadStartsAgain(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	data := randomBytes(2*objstore.MinPartSize, 8)
	var started int
	r := transfer.Resume{UploadID: "no-such-upload", Started: func(string) error { started++; return nil }}
	if _, err := transfer.UploadResumable(ctx, st, "bkt", "k", bytes.NewReader(data), int64(len(data)), r, small()); err != nil {
		t.Fatal(err)
	}
	if started != 1 || !bytes.Equal(readObject(t, st, "k"), data) {
		t.Fatalf("started %d times; object matches: %v", started, bytes.Equal(readObject(t, st, "k"), data))
	}
}
