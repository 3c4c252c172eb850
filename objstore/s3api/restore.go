package s3api

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lifecycle"
)

// restoreRequest is the body of RestoreObject.
type restoreRequest struct {
	XMLName              xml.Name `xml:"RestoreRequest"`
	Days                 *int     `xml:"Days"`
	Type                 string   `xml:"Type"`
	Tier                 string   `xml:"Tier"`
	GlacierJobParameters *struct {
		Tier string `xml:"Tier"`
	} `xml:"GlacierJobParameters"`
}

// tier is the retrieval tier asked for; Standard by default.
func (r *restoreRequest) tier() string {
	if r.GlacierJobParameters != nil && r.GlacierJobParameters.Tier != "" {
		return r.GlacierJobParameters.Tier
	}
	if r.Tier != "" {
		return r.Tier
	}
	return lifecycle.TierStandard
}

// restoreObject serves RestoreObject: 202 when a restore starts, 200 when
// the version was already restored (its copy's expiry moves).
func (s *Server) restoreObject(ctx context.Context, rq *request) error {
	if s.cfg.Lifecycle == nil {
		return fmt.Errorf("RestoreObject: %w", objstore.ErrNotImplemented)
	}
	var req restoreRequest
	if err := readXML(rq, &req); err != nil {
		return err
	}
	if req.Type != "" {
		return fmt.Errorf("RestoreObject of type %s: %w", req.Type, objstore.ErrNotImplemented)
	}
	if req.Days == nil {
		return fmt.Errorf("RestoreRequest without Days: %w", objstore.ErrMalformedXML)
	}
	tier := req.tier()
	switch tier {
	case lifecycle.TierExpedited, lifecycle.TierStandard, lifecycle.TierBulk:
	default:
		return fmt.Errorf("tier %q: %w", tier, objstore.ErrMalformedXML)
	}
	restored, err := s.cfg.Lifecycle.Restore(ctx, rq.bucket, rq.key, rq.query.Get("versionId"), *req.Days, tier)
	if err != nil {
		return err
	}
	if restored {
		rq.w.WriteHeader(http.StatusOK)
		return nil
	}
	rq.w.WriteHeader(http.StatusAccepted)
	return nil
}

// setRestoreHeader reports the restore of an archived version
// (x-amz-restore): in progress, or done with the copy's expiry. A copy
// that has expired is no longer reported.
func setRestoreHeader(h http.Header, r *objstore.RestoreStatus, now time.Time) {
	switch {
	case r == nil:
	case r.Ongoing:
		h.Set("x-amz-restore", `ongoing-request="true"`)
	case now.Before(r.Expiry):
		h.Set("x-amz-restore", fmt.Sprintf(`ongoing-request="false", expiry-date="%s"`, r.Expiry.UTC().Format(http.TimeFormat)))
	}
}
