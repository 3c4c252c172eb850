package iam

import (
	"encoding/json"
	"time"
)

// DefaultRootAccount is the account ID of the root credential unless
// iam.json says otherwise.
const DefaultRootAccount = "000000000001"

// State is the content of iam.json.
type State struct {
	// RootAccount is the account ID of the root credential.
	RootAccount string `json:"root_account"`
	// Users are the users and roles, by name.
	Users []User `json:"users"`
	// Keys are the access keys of the users.
	Keys []AccessKey `json:"keys"`
	// Policies are the stored identity policies, by name.
	Policies map[string]json.RawMessage `json:"policies,omitempty"`
	// PublicAccessBlock is the server-wide public access block; it holds
	// for every bucket in addition to the bucket's own.
	PublicAccessBlock *PublicAccessBlock `json:"public_access_block,omitempty"`
}

// User is a user (or a role) of an account.
type User struct {
	Name string `json:"name"`
	// ID is the user's unique ID (aws:userid).
	ID string `json:"id"`
	// Account is the 12-digit account ID the user belongs to.
	Account string `json:"account"`
	// Role tells that the principal is a role (arn:…:role/NAME) rather
	// than a user.
	Role bool `json:"role,omitempty"`
	// Policies are the names of the identity policies attached.
	Policies []string  `json:"policies,omitempty"`
	Created  time.Time `json:"created"`
}

// ARN is the principal's ARN.
func (u User) ARN() string {
	kind := "user/"
	if u.Role {
		kind = "role/"
	}
	return "arn:aws:iam::" + u.Account + ":" + kind + u.Name
}

// AccessKey is an access key of a user, with its secret.
type AccessKey struct {
	AccessKey string    `json:"access_key"`
	SecretKey string    `json:"secret_key"`
	User      string    `json:"user"`
	Created   time.Time `json:"created"`
}

// PublicAccessBlock holds the four switches of S3's public access block.
type PublicAccessBlock struct {
	// BlockPublicAcls refuses requests that set a public ACL.
	BlockPublicAcls bool `json:"block_public_acls"`
	// IgnorePublicAcls ignores public ACLs (there are none: ACLs are
	// disabled).
	IgnorePublicAcls bool `json:"ignore_public_acls"`
	// BlockPublicPolicy refuses bucket policies that grant public access.
	BlockPublicPolicy bool `json:"block_public_policy"`
	// RestrictPublicBuckets limits a bucket with a public policy to the
	// principals of its owner's account.
	RestrictPublicBuckets bool `json:"restrict_public_buckets"`
}

// Or returns the switches set in either block.
func (b PublicAccessBlock) Or(o PublicAccessBlock) PublicAccessBlock {
	return PublicAccessBlock{
		BlockPublicAcls:       b.BlockPublicAcls || o.BlockPublicAcls,
		IgnorePublicAcls:      b.IgnorePublicAcls || o.IgnorePublicAcls,
		BlockPublicPolicy:     b.BlockPublicPolicy || o.BlockPublicPolicy,
		RestrictPublicBuckets: b.RestrictPublicBuckets || o.RestrictPublicBuckets,
	}
}

// user returns the user called name.
func (s *State) user(name string) (*User, bool) {
	for i := range s.Users {
		if s.Users[i].Name == name {
			return &s.Users[i], true
		}
	}
	return nil, false
}

// rootAccount is RootAccount or its default.
func (s *State) rootAccount() string {
	if s.RootAccount == "" {
		return DefaultRootAccount
	}
	return s.RootAccount
}
