package s3api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lifecycle"
)

// Lifecycle is what the server asks of the lifecycle rules at work: the
// restores of archived versions, and when a rule will expire an object
// (x-amz-expiration). lifecycle.Manager implements it.
type Lifecycle interface {
	// Restore starts (or, restored reports, extends) a restore.
	Restore(ctx context.Context, bucket, key, versionID string, days int, tier string) (restored bool, err error)
	// Expiration tells when and by which rule the object will expire.
	Expiration(ctx context.Context, bucket string, info *objstore.ObjectInfo) (at time.Time, ruleID string, ok bool)
}

// errNoSuchLifecycle answers GetBucketLifecycle on a bucket without rules.
var errNoSuchLifecycle = &objstore.Error{Code: "NoSuchLifecycleConfiguration", Status: http.StatusNotFound, Message: "The lifecycle configuration does not exist"}

// putBucketLifecycle serves PutBucketLifecycleConfiguration: the rules are
// validated as S3 does and kept as the bucket's "lifecycle" document.
func (s *Server) putBucketLifecycle(ctx context.Context, rq *request) error {
	e, err := s.engine("PutBucketLifecycleConfiguration")
	if err != nil {
		return err
	}
	var cfg lifecycle.Configuration
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("lifecycle configuration of %s: %w", rq.bucket, err)
	}
	doc, err := cfg.Marshal()
	if err != nil {
		return err
	}
	if err := e.PutBucketConfig(ctx, rq.bucket, lifecycle.ConfigName, doc); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketLifecycle serves GetBucketLifecycleConfiguration.
func (s *Server) getBucketLifecycle(ctx context.Context, rq *request) error {
	e, err := s.engine("GetBucketLifecycleConfiguration")
	if err != nil {
		return err
	}
	doc, ok, err := e.GetBucketConfig(ctx, rq.bucket, lifecycle.ConfigName)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bucket %s: %w", rq.bucket, errNoSuchLifecycle)
	}
	rq.w.Header().Set("Content-Type", "application/xml")
	rq.w.WriteHeader(http.StatusOK)
	_, err = rq.w.Write(doc)
	return err
}

// deleteBucketLifecycle serves DeleteBucketLifecycle.
func (s *Server) deleteBucketLifecycle(ctx context.Context, rq *request) error {
	e, err := s.engine("DeleteBucketLifecycle")
	if err != nil {
		return err
	}
	if err := e.DeleteBucketConfig(ctx, rq.bucket, lifecycle.ConfigName); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// setExpiration reports, on a response about the current version info
// describes, when a lifecycle rule will expire it (x-amz-expiration).
func (s *Server) setExpiration(ctx context.Context, rq *request, info objstore.ObjectInfo) {
	if s.cfg.Lifecycle == nil {
		return
	}
	info.Key = rq.key
	at, rule, ok := s.cfg.Lifecycle.Expiration(ctx, rq.bucket, &info)
	if !ok {
		return
	}
	rq.w.Header().Set("x-amz-expiration", fmt.Sprintf(`expiry-date="%s", rule-id="%s"`, at.UTC().Format(http.TimeFormat), rule))
}

// setPutExpiration is setExpiration for the version a write just made,
// which is the current one.
func (s *Server) setPutExpiration(ctx context.Context, rq *request, info objstore.ObjectInfo) {
	info.IsLatest = true
	s.setExpiration(ctx, rq, info)
}
