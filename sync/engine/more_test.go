package engine

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/transfer"
)

func TestRescanOnlyStats(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay)
	a.write("a.txt", "original")
	a.pass()
	// Same size, same mtime, different bytes: a rescan that only stats
	// cannot see it, and must not (reading every file would not scale).
	p := filepath.Join(a.root, "a.txt")
	fi, _ := os.Stat(p)
	os.WriteFile(p, []byte("ORIGINAL"), 0o644)
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	if s := a.pass(); s.String() != "in sync, nothing to do" {
		t.Fatalf("rescan of an unchanged-looking file: %s", s)
	}
}

// failingParts fails every UploadPart after the first n.
type failingParts struct {
	objstore.Store
	allow atomic.Int64
	sent  atomic.Int64
}

func (s *failingParts) UploadPart(ctx context.Context, b, k, id string, n int, r io.Reader, o objstore.PartOptions) (objstore.PartInfo, error) {
	if s.allow.Add(-1) < 0 {
		return objstore.PartInfo{}, errors.New("connection reset")
	}
	s.sent.Add(1)
	return s.Store.UploadPart(ctx, b, k, id, n, r, o)
}

func TestInterruptedUploadResumes(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) {
		o.Transfer = transfer.Options{Threshold: 6 << 20, PartSize: 5 << 20, Concurrency: 1}
	})
	big := strings.Repeat("0123456789abcdef", 4<<20/16*5) // 20 MiB: 4 parts
	a.write("big.bin", big)
	fs := &failingParts{Store: f.store}
	fs.allow.Store(2)
	a.e.store = fs
	if s, _, err := a.e.Pass(context.Background()); err != nil || s.Failed != 1 {
		t.Fatalf("interrupted pass: %v %s", err, s)
	}
	fs.allow.Store(100)
	fs.sent.Store(0)
	if s := a.pass(); s.Uploaded != 1 {
		t.Fatalf("resumed pass: %s", s)
	}
	if got := fs.sent.Load(); got != 2 {
		t.Fatalf("resume sent %d parts, want 2 (2 of 4 were stored)", got)
	}
	if got, _ := f.object("big.bin"); got != big {
		t.Fatal("resumed object differs")
	}
}

func TestRunCarriesChangesUntilCanceled(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) {
		o.Now, o.Settle, o.Interval = time.Now, 50*time.Millisecond, 200*time.Millisecond
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.e.Run(ctx, nil) }()
	a.write("live/new.txt", "written while running")
	f.put("remote.txt", "from the bucket")
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, ok := f.object("live/new.txt")
		if ok && got == "written while running" && a.exists("remote.txt") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("changes not carried: remote %q %v, local remote.txt %v", got, ok, a.exists("remote.txt"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestFutureMtimeIsNotBeingWritten(t *testing.T) {
	f := newFixture(t)
	a := f.side(TwoWay, func(o *Options) { o.Now = time.Now; o.Settle = time.Hour })
	a.write("future.txt", "from a skewed clock")
	future := time.Now().Add(48 * time.Hour)
	os.Chtimes(filepath.Join(a.root, "future.txt"), future, future)
	if s := a.pass(); s.Uploaded != 1 {
		t.Fatalf("a file with a future mtime: %s", s)
	}
}
