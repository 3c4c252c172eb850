package main

import (
	"context"
	"fmt"
	"net"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3api"
)

// The credential the bench server's owner signs with.
var benchCredential = s3api.Credential{AccessKey: "CAIRNBENCHACCESSKEY1", SecretKey: "cairn-bench-secret-key-0123456789abcdefgh"}

// benchRegion is the region the server and its client sign in.
const benchRegion = "us-east-1"

// s3Server is an S3 server over a store, serving on a loopback port in
// this process until stop.
type s3Server struct {
	endpoint string
	cancel   context.CancelFunc
	done     chan error
}

// startServer serves st over S3 on 127.0.0.1 at a free port, as cairn
// serve does.
func startServer(ctx context.Context, st objstore.Store) (*s3Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := s3api.New(st, s3api.Config{Region: benchRegion, Root: benchCredential, Logger: warnLogger()})
	ctx, cancel := context.WithCancel(ctx)
	s := &s3Server{endpoint: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- srv.Serve(ctx, ln, nil) }()
	return s, nil
}

// stop shuts the server down and waits for it.
func (s *s3Server) stop() error {
	s.cancel()
	return <-s.done
}
