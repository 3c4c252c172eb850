package s3api_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore/disk"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// observed is one call of Config.Observe.
type observed struct {
	op     string
	status int
}

func TestObserveNamesEachRequestOnce(t *testing.T) {
	st, err := disk.Open(t.TempDir(), disk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var (
		mu  sync.Mutex
		got []observed
	)
	srv := s3api.New(st, s3api.Config{Root: root, Observe: func(op string, status int, d time.Duration) {
		if d < 0 {
			t.Errorf("%s took %v", op, d)
		}
		mu.Lock()
		got = append(got, observed{op, status})
		mu.Unlock()
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, nil) }()
	defer func() { cancel(); <-done }()
	e := &env{t: t, url: "http://" + ln.Addr().String()}

	e.do(http.MethodPut, "/photos", nil, nil).Body.Close()
	e.do(http.MethodPut, "/photos/a.txt", []byte("hello"), nil).Body.Close()
	e.do(http.MethodGet, "/photos/a.txt", nil, nil).Body.Close()
	e.do(http.MethodGet, "/photos/missing", nil, nil).Body.Close()
	e.do(http.MethodGet, "/photos?list-type=2", nil, nil).Body.Close()
	resp, err := http.Get(e.url + "/photos/a.txt") // unsigned
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	want := []observed{
		{"CreateBucket", 200}, {"PutObject", 200}, {"GetObject", 200},
		{"GetObject", 404}, {"ListObjectsV2", 200}, {"GetObject", 403},
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, want) {
		t.Errorf("observed %v, want %v", got, want)
	}
}
