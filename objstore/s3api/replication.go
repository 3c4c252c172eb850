package s3api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/replicate"
)

// errNoReplication is S3's answer to reading or deleting the replication
// configuration of a bucket without one.
var errNoReplication = &objstore.Error{Code: "ReplicationConfigurationNotFoundError", Status: http.StatusNotFound, Message: "The replication configuration was not found"}

// S3's refusals of a replication configuration for its buckets' state.
var (
	errSourceNotVersioned = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Versioning must be 'Enabled' on the bucket to apply a replication configuration"}
	errDestinationMissing = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Destination bucket must exist."}
	errDestNotVersioned   = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Destination bucket must have versioning enabled."}
)

// putBucketReplication serves PutBucketReplication: the configuration is
// validated as S3 does (versioning on the source, and on destinations of
// this store) and kept as the bucket's "replication" document.
func (s *Server) putBucketReplication(ctx context.Context, rq *request) error {
	e, err := s.engine("PutBucketReplication")
	if err != nil {
		return err
	}
	var cfg replicate.Config
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	if err := cfg.Validate(rq.bucket); err != nil {
		return err
	}
	if err := s.checkReplicationBuckets(ctx, rq.bucket, &cfg); err != nil {
		return err
	}
	cfg.AssignIDs()
	doc, err := cfg.Marshal()
	if err != nil {
		return err
	}
	if err := e.PutBucketConfig(ctx, rq.bucket, replicate.ConfigName, doc); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// checkReplicationBuckets checks that the source has versioning enabled,
// and so does each destination bucket of this store. Buckets on remote
// targets are checked when versions are copied there.
func (s *Server) checkReplicationBuckets(ctx context.Context, source string, cfg *replicate.Config) error {
	state, err := s.store.GetBucketVersioning(ctx, source)
	if err != nil {
		return err
	}
	if state != objstore.VersioningEnabled {
		return fmt.Errorf("bucket %s: %w", source, errSourceNotVersioned)
	}
	for _, r := range cfg.Rules {
		dst, err := replicate.ParseARN(r.Destination.Bucket)
		if err != nil {
			return err
		}
		if dst.Target != "" {
			continue
		}
		state, err := s.store.GetBucketVersioning(ctx, dst.Bucket)
		if errors.Is(err, objstore.ErrNoSuchBucket) {
			return fmt.Errorf("destination %s: %w", dst.Bucket, errDestinationMissing)
		}
		if err != nil {
			return err
		}
		if state != objstore.VersioningEnabled {
			return fmt.Errorf("destination %s: %w", dst.Bucket, errDestNotVersioned)
		}
	}
	return nil
}

// getBucketReplication serves GetBucketReplication.
func (s *Server) getBucketReplication(ctx context.Context, rq *request) error {
	e, err := s.engine("GetBucketReplication")
	if err != nil {
		return err
	}
	doc, ok, err := e.GetBucketConfig(ctx, rq.bucket, replicate.ConfigName)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s: %w", rq.bucket, errNoReplication)
	}
	rq.w.Header().Set("Content-Type", "application/xml")
	rq.w.WriteHeader(http.StatusOK)
	_, err = rq.w.Write(doc)
	return err
}

// deleteBucketReplication serves DeleteBucketReplication. Versions still
// queued are dropped by the worker and left FAILED.
func (s *Server) deleteBucketReplication(ctx context.Context, rq *request) error {
	e, err := s.engine("DeleteBucketReplication")
	if err != nil {
		return err
	}
	if _, err := s.store.HeadBucket(ctx, rq.bucket); err != nil {
		return err
	}
	if err := e.DeleteBucketConfig(ctx, rq.bucket, replicate.ConfigName); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}
