package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
)

// Engine is what the bucket features need of a store beyond
// objstore.Store: bucket tags, bucket configuration documents (policy,
// CORS, lifecycle, …) and in-place updates of a version's attributes
// (retention, legal hold, storage class, restore and replication state).
// The embedded disk engine implements it; over a store without it those
// operations answer NotImplemented.
type Engine interface {
	BucketTagger
	// GetBucketConfig returns the configuration document called name and
	// whether the bucket has one.
	GetBucketConfig(ctx context.Context, bucket, name string) ([]byte, bool, error)
	// PutBucketConfig sets the configuration document called name.
	PutBucketConfig(ctx context.Context, bucket, name string, doc []byte) error
	// DeleteBucketConfig removes the configuration document called name.
	DeleteBucketConfig(ctx context.Context, bucket, name string) error
	// UpdateVersion changes the attributes of a version in place.
	UpdateVersion(ctx context.Context, bucket, key, versionID string, change func(*objstore.ObjectInfo) error) (objstore.ObjectInfo, error)
}

// engine returns the Engine of the server's store, or NotImplemented
// naming what needed it.
func (s *Server) engine(what string) (Engine, error) {
	if s.cfg.Engine != nil {
		return s.cfg.Engine, nil
	}
	if e, ok := s.store.(Engine); ok {
		return e, nil
	}
	return nil, fmt.Errorf("%s: %w", what, objstore.ErrNotImplemented)
}
