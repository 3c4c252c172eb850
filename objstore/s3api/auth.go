package s3api

import (
	"fmt"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3api/sigv4"
)

// authInfo is what authentication established about a request.
type authInfo struct {
	// anonymous requests carry no signature.
	anonymous bool
	// accessKey signed the request.
	accessKey string
	// trailerChecksum is the algorithm of an aws-chunked trailing
	// checksum (x-amz-trailer), which the store must compute so that it is
	// stored; the decoder checks it against the trailer.
	trailerChecksum objstore.ChecksumAlgorithm
}

// errAnonymous refuses unsigned requests: until bucket policies exist,
// nothing is public.
var errAnonymous = &objstore.Error{Code: "AccessDenied", Status: 403, Message: "Access Denied: anonymous requests are not allowed"}

// authenticate verifies a request's signature and replaces its body with
// the decoded, verified payload.
func (s *Server) authenticate(rq *request) error {
	if !sigv4.HasAuth(rq.r) {
		rq.auth = &authInfo{anonymous: true}
		return fmt.Errorf("%s %s: %w", rq.r.Method, rq.r.URL.Path, errAnonymous)
	}
	a, err := s.verifier.Verify(rq.r)
	if err != nil {
		return err
	}
	body, err := a.Body(rq.r)
	if err != nil {
		return err
	}
	rq.body = body
	rq.auth = &authInfo{accessKey: a.AccessKey, trailerChecksum: body.TrailerAlgorithm()}
	return nil
}

// credentials resolves the root credential and any others configured.
type credentials struct {
	root  Credential
	extra sigv4.Credentials
}

func (c credentials) SecretKey(accessKey string) (string, bool) {
	if accessKey == c.root.AccessKey && c.root.SecretKey != "" {
		return c.root.SecretKey, true
	}
	if c.extra != nil {
		return c.extra.SecretKey(accessKey)
	}
	return "", false
}
