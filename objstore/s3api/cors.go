package s3api

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"

	"github.com/cairnfs/cairn/objstore"
)

var (
	errNoSuchCORS     = &objstore.Error{Code: "NoSuchCORSConfiguration", Status: http.StatusNotFound, Message: "The CORS configuration does not exist"}
	errCORSNotEnabled = &objstore.Error{Code: "AccessForbidden", Status: http.StatusForbidden, Message: "CORSResponse: CORS is not enabled for this bucket."}
	errCORSDenied     = &objstore.Error{Code: "AccessForbidden", Status: http.StatusForbidden, Message: "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."}
	errCORSNoOrigin   = &objstore.Error{Code: "BadRequest", Status: http.StatusBadRequest, Message: "Insufficient information. Origin request header needed."}
)

// putBucketCors serves PutBucketCors.
func (s *Server) putBucketCors(ctx context.Context, rq *request) error {
	if err := requireDigest(rq); err != nil {
		return err
	}
	var cfg corsConfiguration
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	eng, err := s.engine("PutBucketCors")
	if err != nil {
		return err
	}
	cfg.NS = ""
	doc, err := xml.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encode CORS configuration: %w", err)
	}
	if err := eng.PutBucketConfig(ctx, rq.bucket, corsConfig, doc); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketCors serves GetBucketCors.
func (s *Server) getBucketCors(ctx context.Context, rq *request) error {
	cfg, err := s.corsRules(ctx, rq.bucket)
	if err != nil {
		return err
	}
	if cfg == nil {
		return fmt.Errorf("bucket %s: %w", rq.bucket, errNoSuchCORS)
	}
	cfg.NS = s3NS
	return writeXML(rq, cfg)
}

// deleteBucketCors serves DeleteBucketCors.
func (s *Server) deleteBucketCors(ctx context.Context, rq *request) error {
	eng, err := s.engine("DeleteBucketCors")
	if err != nil {
		return err
	}
	if err := eng.DeleteBucketConfig(ctx, rq.bucket, corsConfig); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// corsRules reads a bucket's CORS configuration; nil when it has none.
func (s *Server) corsRules(ctx context.Context, bucket string) (*corsConfiguration, error) {
	eng, err := s.engine("CORS")
	if err != nil {
		return nil, err
	}
	doc, ok, err := eng.GetBucketConfig(ctx, bucket, corsConfig)
	if err != nil || !ok {
		return nil, err
	}
	var cfg corsConfiguration
	if err := xml.Unmarshal(doc, &cfg); err != nil {
		return nil, fmt.Errorf("stored CORS configuration of %s: %v: %w", bucket, err, objstore.ErrInternal)
	}
	return &cfg, nil
}

// preflight answers a CORS preflight (OPTIONS) request, unauthenticated as
// browsers send it: 200 with the first matching rule's headers, 403 when
// no rule allows the origin, method and headers asked for.
func (s *Server) preflight(ctx context.Context, rq *request) error {
	h := rq.r.Header
	origin, method := h.Get("Origin"), h.Get("Access-Control-Request-Method")
	if origin == "" {
		return fmt.Errorf("preflight: %w", errCORSNoOrigin)
	}
	if !slices.Contains(corsMethods, method) {
		return fmt.Errorf("preflight: %w", &objstore.Error{Code: "BadRequest", Status: http.StatusBadRequest, Message: "Invalid Access-Control-Request-Method: " + method})
	}
	if rq.bucket == "" {
		return fmt.Errorf("preflight without a bucket: %w", errCORSNotEnabled)
	}
	cfg, err := s.corsRules(ctx, rq.bucket)
	if err != nil {
		return err
	}
	if cfg == nil {
		return fmt.Errorf("preflight of bucket %s: %w", rq.bucket, errCORSNotEnabled)
	}
	rq.w.Header().Set("Vary", corsVary)
	headers := requestedHeaders(h.Get("Access-Control-Request-Headers"))
	rule := cfg.match(origin, method, headers)
	if rule == nil {
		return fmt.Errorf("preflight of bucket %s from %s: %w", rq.bucket, origin, errCORSDenied)
	}
	rule.setHeaders(rq.w.Header(), origin, headers)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// addCORSHeaders adds the CORS headers the bucket's rules give a request
// from another origin (one with an Origin header): those of the first rule
// that allows its origin and method. It reads the bucket's configuration
// only for such requests.
func (s *Server) addCORSHeaders(ctx context.Context, rq *request) {
	origin := rq.r.Header.Get("Origin")
	if origin == "" || rq.bucket == "" {
		return
	}
	cfg, err := s.corsRules(ctx, rq.bucket)
	if err != nil || cfg == nil {
		return
	}
	h := rq.w.Header()
	h.Set("Vary", corsVary)
	if rule := cfg.match(origin, rq.r.Method, nil); rule != nil {
		rule.setHeaders(h, origin, nil)
	}
}
