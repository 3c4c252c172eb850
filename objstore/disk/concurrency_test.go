package disk

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/cairnfs/cairn/objstore"
)

// parallel runs fn(i) for i in [0, n) on workers goroutines and returns
// the first error.
func parallel(n, workers int, fn func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					first = cmp(first, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// 64 writers overwrite one key with objects of different sizes (inline
// and file-backed) while readers read it: every read must return one
// whole version, whose MD5 is the ETag it came with.
func TestConcurrentOverwritesAreNeverTorn(t *testing.T) {
	ctx := context.Background()
	for _, versioned := range []bool{false, true} {
		t.Run(fmt.Sprintf("versioned=%v", versioned), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{})
			mkBucket(t, s, "hot")
			if versioned {
				if err := s.PutBucketVersioning(ctx, "hot", objstore.VersioningEnabled); err != nil {
					t.Fatal(err)
				}
			}
			put(t, s, "hot", "k", []byte("first"))
			stop := make(chan struct{})
			readErr := make(chan error, 1)
			reads := 0
			go func() {
				defer close(readErr)
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := readWhole(ctx, s); err != nil {
						readErr <- err
						return
					}
					reads++
				}
			}()
			err := parallel(256, 64, func(i int) error {
				size := []int{10, 70 << 10, 300 << 10}[i%3]
				data := randBytes(size, uint64(i))
				_, err := s.PutObject(ctx, "hot", "k", bytes.NewReader(data), objstore.PutOptions{Size: int64(size)})
				return err
			})
			close(stop)
			if rerr := <-readErr; rerr != nil {
				t.Fatalf("reader: %v", rerr)
			}
			if err != nil {
				t.Fatalf("writer: %v", err)
			}
			if reads == 0 {
				t.Fatal("no read happened")
			}
			res, err := s.ListObjectVersions(ctx, "hot", objstore.ListVersionsOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := 1
			if versioned {
				want = 257
			}
			if len(res.Versions) != want {
				t.Fatalf("%d versions, want %d", len(res.Versions), want)
			}
		})
	}
}

func readWhole(ctx context.Context, s *Store) error {
	obj, err := s.GetObject(ctx, "hot", "k", objstore.GetOptions{})
	if err != nil {
		return err
	}
	defer obj.Body.Close()
	h := md5.New()
	n, err := io.Copy(h, obj.Body)
	if err != nil {
		return err
	}
	if n != obj.Info.Size || hex.EncodeToString(h.Sum(nil)) != obj.Info.ETag {
		return fmt.Errorf("read %d bytes with md5 %x of a version of %d bytes, etag %s", n, h.Sum(nil), obj.Info.Size, obj.Info.ETag)
	}
	return nil
}

// Conditional creates race: exactly one If-None-Match: * put wins.
func TestConcurrentConditionalCreate(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), Options{})
	mkBucket(t, s, "cond")
	var mu sync.Mutex
	won := 0
	err := parallel(32, 32, func(i int) error {
		_, err := s.PutObject(ctx, "cond", "once", bytes.NewReader([]byte{byte(i)}), objstore.PutOptions{Size: 1, IfNoneMatch: "*"})
		switch {
		case err == nil:
			mu.Lock()
			won++
			mu.Unlock()
			return nil
		case errors.Is(err, objstore.ErrPreconditionFailed):
			return nil
		}
		return err
	})
	if err != nil || won != 1 {
		t.Fatalf("%d winners, err %v", won, err)
	}
}
