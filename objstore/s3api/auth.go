package s3api

import (
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
	// who is the principal authorization resolved the key to.
	who *principal
}

// authenticate verifies a request's signature and replaces its body with
// the decoded, verified payload. An unsigned request is anonymous:
// authorize lets it through only where a bucket policy allows everyone.
func (s *Server) authenticate(rq *request) error {
	if !sigv4.HasAuth(rq.r) {
		rq.auth = &authInfo{anonymous: true}
		return nil
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

// credentials resolves the root credential, the users' keys and any
// others configured.
type credentials struct {
	root  Credential
	users sigv4.Credentials
	extra sigv4.Credentials
}

func (c credentials) SecretKey(accessKey string) (string, bool) {
	if accessKey == c.root.AccessKey && c.root.SecretKey != "" {
		return c.root.SecretKey, true
	}
	for _, src := range []sigv4.Credentials{c.users, c.extra} {
		if src == nil {
			continue
		}
		if secret, ok := src.SecretKey(accessKey); ok {
			return secret, true
		}
	}
	return "", false
}
