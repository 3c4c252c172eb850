package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

func put(t *testing.T, st objstore.Store, key string, data []byte) objstore.ObjectInfo {
	t.Helper()
	info, err := transfer.Upload(context.Background(), st, "bkt", key, bytes.NewReader(data), int64(len(data)), small())
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestDownloadAtInRanges(t *testing.T) {
	st := newStore(t)
	for _, n := range []int{0, 100, 12*mib + 5} {
		data := randomBytes(n, 4)
		put(t, st, "k", data)
		f, err := os.Create(filepath.Join(t.TempDir(), "out"))
		if err != nil {
			t.Fatal(err)
		}
		var got counter
		opts := small()
		opts.Progress = got.add
		info, err := transfer.DownloadAt(context.Background(), st, "bkt", "k", f, opts)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		f.Close()
		out, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, data) || info.Size != int64(n) {
			t.Errorf("%d bytes: downloaded %d bytes that differ", n, len(out))
		}
		if got.n.Load() != int64(n) {
			t.Errorf("%d bytes: progress told of %d", n, got.n.Load())
		}
	}
}

func TestDownloadVersion(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	if err := st.PutBucketVersioning(ctx, "bkt", objstore.VersioningEnabled); err != nil {
		t.Fatal(err)
	}
	first := put(t, st, "k", []byte("first"))
	put(t, st, "k", []byte("second"))
	var buf bytes.Buffer
	if _, err := transfer.Download(ctx, st, "bkt", "k", &buf, transfer.Options{VersionID: first.VersionID}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "first" {
		t.Errorf("version %s reads %q, want %q", first.VersionID, buf.String(), "first")
	}
}

func TestDownloadMissing(t *testing.T) {
	st := newStore(t)
	_, err := transfer.Download(context.Background(), st, "bkt", "nope", io.Discard, transfer.Options{})
	if !errors.Is(err, objstore.ErrNoSuchKey) {
		t.Errorf("got %v, want NoSuchKey", err)
	}
}

// overwriter overwrites the object once, right before the first ranged
// read of a download.
type overwriter struct {
	objstore.Store
	once sync.Once
	data []byte
}

func (o *overwriter) GetObject(ctx context.Context, bucket, key string, opts objstore.GetOptions) (*objstore.Object, error) {
	o.once.Do(func() {
		o.Store.PutObject(ctx, bucket, key, bytes.NewReader(o.data), objstore.PutOptions{Size: int64(len(o.data))})
	})
	return o.Store.GetObject(ctx, bucket, key, opts)
}

func TestDownloadAtRefusesToMixVersions(t *testing.T) {
	st := newStore(t)
	put(t, st, "k", randomBytes(12*mib, 5))
	ow := &overwriter{Store: st, data: []byte("new")}
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = transfer.DownloadAt(context.Background(), ow, "bkt", "k", f, small())
	if !errors.Is(err, objstore.ErrPreconditionFailed) {
		t.Errorf("download of an object overwritten midway: %v, want PreconditionFailed", err)
	}
}
