package s3api

import (
	"github.com/cairnfs/cairn/objstore/iam"
	"github.com/cairnfs/cairn/objstore/policy"
	"github.com/cairnfs/cairn/objstore/s3api/sigv4"
)

// Identities resolves the users behind access keys other than the root
// credential, with their identity policies, and holds the server-wide
// public access block. objstore/iam implements it.
type Identities interface {
	sigv4.Credentials
	// Identity returns the user an access key belongs to.
	Identity(accessKey string) (iam.Identity, bool)
	// RootAccount returns the account ID of the root credential.
	RootAccount() string
	// PublicAccessBlock returns the server-wide public access block.
	PublicAccessBlock() iam.PublicAccessBlock
}

// principal is who sends a request, as authorization sees it.
type principal struct {
	policy.Requester
	// root is an account's root: identity policies do not apply to it.
	root bool
	// name and id are the user's name and unique ID.
	name, id string
	// role tells that the principal is a role.
	role bool
	// policies are the identity policies of a user.
	policies []*policy.Policy
}

// rootAccount is the account of the root credential.
func (s *Server) rootAccount() string {
	if s.cfg.Identities != nil {
		if a := s.cfg.Identities.RootAccount(); a != "" {
			return a
		}
	}
	return iam.DefaultRootAccount
}

// principal resolves who sent the request.
func (s *Server) principal(rq *request) *principal {
	if rq.auth == nil || rq.auth.anonymous {
		return &principal{Requester: policy.Requester{Anonymous: true}}
	}
	if s.cfg.Identities != nil && rq.auth.accessKey != s.cfg.Root.AccessKey {
		if id, ok := s.cfg.Identities.Identity(rq.auth.accessKey); ok {
			return &principal{
				Requester: policy.Requester{Account: id.Account, ARN: id.ARN},
				name:      id.Name, id: id.ID, policies: id.Policies,
				role: id.Role,
			}
		}
	}
	if rq.auth.accessKey != s.cfg.Root.AccessKey && !s.actsForRoot(rq.auth.accessKey) {
		// A user's key removed since its signature was checked: nobody.
		return &principal{}
	}
	// The root credential, and keys of Config.Credentials, which act for
	// the root.
	acct := s.rootAccount()
	return &principal{Requester: policy.Requester{Account: acct, ARN: policy.AccountRoot(acct)}, root: true, id: acct}
}

// actsForRoot tells whether a key of Config.Credentials acts for the root.
func (s *Server) actsForRoot(accessKey string) bool {
	if s.cfg.Credentials == nil {
		return false
	}
	_, ok := s.cfg.Credentials.SecretKey(accessKey)
	return ok
}

// identityDecision is what the principal's identity policies say.
func (p *principal) identityDecision(r policy.Request) policy.Decision {
	d := policy.Implicit
	for _, pol := range p.policies {
		d = policy.Combine(d, pol.Evaluate(r))
	}
	return d
}
