package s3api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lock"
)

// The object-lock headers of writes and reads.
const (
	hdrLockMode      = "x-amz-object-lock-mode"
	hdrLockUntil     = "x-amz-object-lock-retain-until-date"
	hdrLegalHold     = "x-amz-object-lock-legal-hold"
	hdrBypass        = "x-amz-bypass-governance-retention"
	hdrBucketLockReq = "x-amz-bucket-object-lock-enabled"
)

var (
	errLockHeaders  = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied"}
	errLockMode     = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "Unknown wormMode directive."}
	errLockDate     = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "The retain until date must be provided in ISO 8601 format"}
	errLegalHold    = &objstore.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: "Legal Hold must be either of 'ON' or 'OFF'"}
	errLockNoDigest = &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters"}
)

// lockFromHeaders reads the retention and legal hold a write asks for.
func lockFromHeaders(h http.Header) (objstore.ObjectLock, error) {
	l, err := parseRetention(h.Get(hdrLockMode), h.Get(hdrLockUntil), nil)
	if err != nil {
		return l, err
	}
	if v := h.Get(hdrLegalHold); v != "" {
		if l.LegalHold, err = parseLegalHold(v, errLegalHold); err != nil {
			return l, err
		}
		l.LegalHoldSet = true
	}
	return l, nil
}

// parseRetention reads a retention mode and date; both or neither. A
// malformed input fails with bad, or with the header errors when bad is nil.
func parseRetention(mode, until string, bad error) (objstore.ObjectLock, error) {
	pick := func(hdrErr error) error {
		if bad != nil {
			return bad
		}
		return hdrErr
	}
	if (mode == "") != (until == "") {
		return objstore.ObjectLock{}, fmt.Errorf("retention mode %q until %q: %w", mode, until, pick(errLockHeaders))
	}
	if mode == "" {
		return objstore.ObjectLock{}, nil
	}
	if !lock.ValidMode(mode) {
		return objstore.ObjectLock{}, fmt.Errorf("retention mode %q: %w", mode, pick(errLockMode))
	}
	t, err := time.Parse(time.RFC3339, until)
	if err != nil {
		return objstore.ObjectLock{}, fmt.Errorf("retain until %q: %w", until, pick(errLockDate))
	}
	if !t.After(time.Now()) {
		return objstore.ObjectLock{}, fmt.Errorf("retain until %q: %w", until, lock.ErrPastDate)
	}
	return objstore.ObjectLock{Mode: mode, RetainUntil: t.UTC()}, nil
}

// parseLegalHold reads ON or OFF.
func parseLegalHold(v string, bad error) (bool, error) {
	switch v {
	case "ON":
		return true, nil
	case "OFF":
		return false, nil
	}
	return false, fmt.Errorf("legal hold %q: %w", v, bad)
}

func legalHoldStatus(on bool) string {
	if on {
		return "ON"
	}
	return "OFF"
}

// setLockHeaders reports a version's retention and legal hold on GET and
// HEAD.
func setLockHeaders(h http.Header, l objstore.ObjectLock) {
	if l.Mode != "" {
		h.Set(hdrLockMode, l.Mode)
		h.Set(hdrLockUntil, timeISO(l.RetainUntil))
	}
	if hasLegalHold(l) {
		h.Set(hdrLegalHold, legalHoldStatus(l.LegalHold))
	}
}

// hasLegalHold tells whether a version ever had a legal hold (ON, or set
// OFF since): S3 reports one only then.
func hasLegalHold(l objstore.ObjectLock) bool { return l.LegalHold || l.LegalHoldSet }

// bypassGovernance tells whether a request asks to bypass GOVERNANCE
// retention.
func bypassGovernance(rq *request) bool {
	return strings.EqualFold(rq.r.Header.Get(hdrBypass), "true")
}

// bucketLockRequested tells whether CreateBucket asks for object lock.
func bucketLockRequested(rq *request) bool {
	return strings.EqualFold(rq.r.Header.Get(hdrBucketLockReq), "true")
}

// requireDigest refuses a request without Content-MD5 or an additional
// checksum, as S3 does for the requests that need one.
func requireDigest(rq *request) error {
	if rq.r.Header.Get("Content-MD5") != "" || hasChecksumHeader(rq.r.Header) || (rq.auth != nil && rq.auth.trailerChecksum != "") {
		return nil
	}
	return fmt.Errorf("%s without Content-MD5 or a checksum: %w", rq.r.Method, errMissingContentMD5)
}

// requireLockDigest refuses a PUT that sets a retention without
// Content-MD5 or an additional checksum.
func requireLockDigest(rq *request, l objstore.ObjectLock) error {
	if l.Mode == "" || requireDigest(rq) == nil {
		return nil
	}
	return fmt.Errorf("PUT with retention: %w", errLockNoDigest)
}
