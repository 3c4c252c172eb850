// Package notify tells the parts of one process that share a store when
// objects change through it. Wrap the store that a writer uses (for
// example the S3 server of `cairn sync --serve`) and give its Changes
// channel to a reader (the sync engine), which then sees those writes at
// once instead of at its next listing.
package notify

import (
	"context"
	"io"

	"github.com/cairnfs/cairn/objstore"
)

// Store is an objstore.Store that signals every successful change of an
// object's current version.
type Store struct {
	objstore.Store
	ch chan struct{}
}

// Wrap returns st with change signals.
func Wrap(st objstore.Store) *Store {
	return &Store{Store: st, ch: make(chan struct{}, 1)}
}

// Changes fires after objects changed; bursts coalesce into one signal.
func (s *Store) Changes() <-chan struct{} { return s.ch }

// changed signals a change without blocking the writer.
func (s *Store) changed(err error) {
	if err != nil {
		return
	}
	select {
	case s.ch <- struct{}{}:
	default:
	}
}

// PutObject stores an object and signals.
func (s *Store) PutObject(ctx context.Context, bucket, key string, body io.Reader, opts objstore.PutOptions) (objstore.ObjectInfo, error) {
	info, err := s.Store.PutObject(ctx, bucket, key, body, opts)
	s.changed(err)
	return info, err
}

// DeleteObject deletes an object and signals.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string, opts objstore.DeleteOptions) (objstore.DeleteResult, error) {
	res, err := s.Store.DeleteObject(ctx, bucket, key, opts)
	s.changed(err)
	return res, err
}

// CopyObject copies an object and signals.
func (s *Store) CopyObject(ctx context.Context, bucket, key string, opts objstore.CopyOptions) (objstore.ObjectInfo, error) {
	info, err := s.Store.CopyObject(ctx, bucket, key, opts)
	s.changed(err)
	return info, err
}

// CompleteMultipartUpload completes an upload and signals.
func (s *Store) CompleteMultipartUpload(ctx context.Context, bucket, key, uploadID string, parts []objstore.CompletedPart, opts objstore.CompleteOptions) (objstore.ObjectInfo, error) {
	info, err := s.Store.CompleteMultipartUpload(ctx, bucket, key, uploadID, parts, opts)
	s.changed(err)
	return info, err
}
