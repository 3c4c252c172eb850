package iam

import (
	"log/slog"

	"github.com/cairnfs/cairn/objstore/policy"
)

// Identity is the principal behind an access key.
type Identity struct {
	// Name is the user's name (aws:username).
	Name string
	// ID is the user's unique ID (aws:userid).
	ID string
	// Account is the user's account ID.
	Account string
	// ARN is the user's ARN.
	ARN string
	// Role tells that the principal is a role.
	Role bool
	// Policies are the identity policies attached to the user.
	Policies []*policy.Policy
}

// snapshot is one reading of the file, indexed for lookups.
type snapshot struct {
	rootAccount string
	byKey       map[string]keyEntry
	block       PublicAccessBlock
}

type keyEntry struct {
	secret string
	id     Identity
}

func newSnapshot(st *State, log *slog.Logger) *snapshot {
	s := &snapshot{rootAccount: st.rootAccount(), byKey: map[string]keyEntry{}}
	if st.PublicAccessBlock != nil {
		s.block = *st.PublicAccessBlock
	}
	ids := map[string]Identity{}
	for _, u := range st.Users {
		id := Identity{Name: u.Name, ID: u.ID, Account: u.Account, ARN: u.ARN(), Role: u.Role}
		for _, name := range u.Policies {
			p, err := st.policy(name)
			if err != nil {
				log.Error("identity policy unusable; the user goes without it", "user", u.Name, "policy", name, "err", err)
				continue
			}
			id.Policies = append(id.Policies, p)
		}
		ids[u.Name] = id
	}
	for _, k := range st.Keys {
		if id, ok := ids[k.User]; ok {
			s.byKey[k.AccessKey] = keyEntry{secret: k.SecretKey, id: id}
		}
	}
	return s
}

// SecretKey returns the secret of a user's access key.
func (s *Store) SecretKey(accessKey string) (string, bool) {
	e, ok := s.current().byKey[accessKey]
	return e.secret, ok
}

// Identity returns the user an access key belongs to.
func (s *Store) Identity(accessKey string) (Identity, bool) {
	e, ok := s.current().byKey[accessKey]
	return e.id, ok
}

// RootAccount returns the account ID of the root credential.
func (s *Store) RootAccount() string { return s.current().rootAccount }

// PublicAccessBlock returns the server-wide public access block.
func (s *Store) PublicAccessBlock() PublicAccessBlock { return s.current().block }
