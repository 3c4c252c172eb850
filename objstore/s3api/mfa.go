package s3api

import (
	"context"
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/lock"
)

// MFAVerifier checks the x-amz-mfa header ("SERIAL CODE") of a request
// that MFA delete guards: the device must be one of user's (RootMFAUser
// for the root credential) and the code its current one. It fails with
// an AccessDenied error.
type MFAVerifier interface {
	VerifyMFA(ctx context.Context, user, header string) error
}

// RootMFAUser is the user name under which the root credential's MFA
// device is registered.
const RootMFAUser = "root"

// mfaDeleteConfig is the bucket configuration that holds a bucket's MFA
// delete state, "Enabled" or "Disabled".
const mfaDeleteConfig = "mfa-delete"

const mfaEnabled, mfaDisabled = "Enabled", "Disabled"

// mfaDeleteStatus is the MfaDelete state a bucket reports; empty when it
// was never set.
func (s *Server) mfaDeleteStatus(ctx context.Context, bucket string) string {
	eng, err := s.engine("MFA delete")
	if err != nil {
		return ""
	}
	doc, _, err := eng.GetBucketConfig(ctx, bucket, mfaDeleteConfig)
	if err != nil {
		return ""
	}
	return string(doc)
}

// mfaCheck is the outcome of verifying a request's x-amz-mfa.
type mfaCheck struct{ err error }

// verifyMFA checks the request's x-amz-mfa, once per request: a code is
// accepted only once, so the authorization (aws:MultiFactorAuthPresent)
// and the handler (MFA delete) share the verdict.
func (s *Server) verifyMFA(ctx context.Context, rq *request) error {
	if rq.mfa == nil {
		rq.mfa = &mfaCheck{err: s.checkMFA(ctx, rq)}
	}
	return rq.mfa.err
}

// checkMFA verifies the request's x-amz-mfa against the requester's
// device.
func (s *Server) checkMFA(ctx context.Context, rq *request) error {
	h := rq.r.Header.Get("x-amz-mfa")
	if h == "" {
		return fmt.Errorf("%s %s without x-amz-mfa: %w", rq.r.Method, rq.r.URL.Path, lock.ErrMFA)
	}
	if s.cfg.MFA == nil {
		return fmt.Errorf("no MFA devices: %w", lock.ErrMFA)
	}
	user := RootMFAUser
	if p := s.principal(rq); !p.root {
		user = p.name
	}
	return s.cfg.MFA.VerifyMFA(ctx, user, h)
}

// mfaPresent tells whether a request carries a valid x-amz-mfa: what the
// condition key aws:MultiFactorAuthPresent says.
func (s *Server) mfaPresent(rq *request) bool {
	return rq.r.Header.Get("x-amz-mfa") != "" && s.verifyMFA(rq.r.Context(), rq) == nil
}

// checkMFADelete asks for a valid x-amz-mfa when a request removes a
// version (versioned) of a bucket with MFA delete enabled.
func (s *Server) checkMFADelete(ctx context.Context, rq *request, versioned bool) error {
	if !versioned || s.mfaDeleteStatus(ctx, rq.bucket) != mfaEnabled {
		return nil
	}
	return s.verifyMFA(ctx, rq)
}

// putMFADelete serves the MfaDelete part of PutBucketVersioning: changing
// it, and any versioning change while it is Enabled, needs a valid
// x-amz-mfa.
func (s *Server) putMFADelete(ctx context.Context, rq *request, want string) error {
	if want != "" && want != mfaEnabled && want != mfaDisabled {
		return fmt.Errorf("MfaDelete %q: %w", want, objstore.ErrMalformedXML)
	}
	cur := s.mfaDeleteStatus(ctx, rq.bucket)
	if want == "" && cur != mfaEnabled {
		return nil
	}
	if err := s.verifyMFA(ctx, rq); err != nil {
		return err
	}
	if want == "" || want == cur {
		return nil
	}
	eng, err := s.engine("MFA delete")
	if err != nil {
		return err
	}
	return eng.PutBucketConfig(ctx, rq.bucket, mfaDeleteConfig, []byte(want))
}

// namesVersion tells whether a DeleteObjects request removes a version.
func namesVersion(req deleteRequest) bool {
	for _, o := range req.Objects {
		if o.VersionID != "" {
			return true
		}
	}
	return false
}
