package s3api

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/cairnfs/cairn/objstore/events"
)

// putBucketNotification serves PutBucketNotificationConfiguration: the
// configuration is validated as S3 does (known event types, at most one
// prefix and one suffix rule, no two configurations taking one event, and
// targets that can take events unless x-amz-skip-destination-validation)
// and kept with the bucket; an empty one removes it.
func (s *Server) putBucketNotification(ctx context.Context, rq *request) error {
	eng, err := s.engine("PutBucketNotificationConfiguration")
	if err != nil {
		return err
	}
	var cfg events.Config
	if err := readXML(rq, &cfg); err != nil {
		return err
	}
	check := s.cfg.CheckNotificationTarget
	if strings.EqualFold(rq.r.Header.Get("x-amz-skip-destination-validation"), "true") {
		check = nil
	}
	if err := cfg.Validate(check); err != nil {
		return err
	}
	if cfg.Empty() {
		if err := eng.DeleteBucketConfig(ctx, rq.bucket, events.ConfigName); err != nil {
			return err
		}
	} else {
		out, err := cfg.Marshal()
		if err != nil {
			return err
		}
		if err := eng.PutBucketConfig(ctx, rq.bucket, events.ConfigName, out); err != nil {
			return err
		}
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketNotification serves GetBucketNotificationConfiguration; a
// bucket without one answers an empty configuration, as S3 does.
func (s *Server) getBucketNotification(ctx context.Context, rq *request) error {
	eng, err := s.engine("GetBucketNotificationConfiguration")
	if err != nil {
		return err
	}
	doc, ok, err := eng.GetBucketConfig(ctx, rq.bucket, events.ConfigName)
	if err != nil {
		return err
	}
	cfg := &events.Config{}
	if ok {
		if cfg, err = events.ParseConfig(doc, nil); err != nil {
			return err
		}
	}
	return writeXML(rq, cfg)
}

// eventSource describes the authenticated request for the events its
// changes raise.
func (s *Server) eventSource(rq *request) events.Source {
	src := events.Source{
		RequestID: rq.id,
		HostID:    s.hostID,
		Region:    s.cfg.Region,
		OwnerID:   s.owner.ID,
		SourceIP:  rq.r.RemoteAddr,
	}
	if host, _, err := net.SplitHostPort(rq.r.RemoteAddr); err == nil {
		src.SourceIP = host
	}
	if rq.auth != nil {
		src.Principal = rq.auth.accessKey
	}
	return src
}

// OwnerID returns the canonical ID the server reports for the owner of
// root's buckets (in listings, ACLs and event records).
func OwnerID(root Credential) string { return ownerID(root) }
