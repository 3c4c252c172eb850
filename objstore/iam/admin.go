package iam

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/cairnfs/cairn/objstore/policy"
)

// ErrNotFound reports a user, key or policy that does not exist.
var ErrNotFound = errors.New("not found")

// ErrExists reports a user or policy name already taken.
var ErrExists = errors.New("already exists")

// validName matches the user, role and policy names IAM accepts.
var validName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// AddUser adds a user (or, with role, a role) to account; an empty
// account is the root's.
func (s *State) AddUser(name, account string, role bool, now time.Time) (User, error) {
	if !validName.MatchString(name) {
		return User{}, fmt.Errorf("user name %q: use 1 to 64 letters, digits and +=,.@_-", name)
	}
	if account == "" {
		account = s.rootAccount()
	}
	if !isAccountID(account) {
		return User{}, fmt.Errorf("account %q: an account ID is 12 digits", account)
	}
	if _, ok := s.user(name); ok {
		return User{}, fmt.Errorf("user %s: %w", name, ErrExists)
	}
	prefix := "AIDA"
	if role {
		prefix = "AROA"
	}
	u := User{Name: name, ID: prefix + randomString(17, upperAlnum), Account: account, Role: role, Created: now.UTC()}
	s.Users = append(s.Users, u)
	return u, nil
}

// RemoveUser removes a user and its access keys.
func (s *State) RemoveUser(name string) error {
	if _, ok := s.user(name); !ok {
		return fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	s.Users = slices.DeleteFunc(s.Users, func(u User) bool { return u.Name == name })
	s.Keys = slices.DeleteFunc(s.Keys, func(k AccessKey) bool { return k.User == name })
	return nil
}

// CreateKey creates an access key for a user.
func (s *State) CreateKey(user string, now time.Time) (AccessKey, error) {
	if _, ok := s.user(user); !ok {
		return AccessKey{}, fmt.Errorf("user %s: %w", user, ErrNotFound)
	}
	ak, sk := NewKeyPair("AKIA")
	k := AccessKey{
		AccessKey: ak,
		SecretKey: sk,
		User:      user,
		Created:   now.UTC(),
	}
	s.Keys = append(s.Keys, k)
	return k, nil
}

// DeleteKey deletes an access key.
func (s *State) DeleteKey(accessKey string) error {
	n := len(s.Keys)
	s.Keys = slices.DeleteFunc(s.Keys, func(k AccessKey) bool { return k.AccessKey == accessKey })
	if len(s.Keys) == n {
		return fmt.Errorf("access key %s: %w", accessKey, ErrNotFound)
	}
	return nil
}

// PutPolicy stores an identity policy under name, replacing one of that
// name; the document must parse.
func (s *State) PutPolicy(name string, doc []byte) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("policy name %q: use 1 to 64 letters, digits and +=,.@_-", name)
	}
	if _, ok := builtinPolicies[name]; ok {
		return fmt.Errorf("policy %s is built in: %w", name, ErrExists)
	}
	if _, err := policy.Parse(doc, policy.Identity); err != nil {
		return fmt.Errorf("policy %s: %w", name, err)
	}
	if s.Policies == nil {
		s.Policies = map[string]json.RawMessage{}
	}
	var compact json.RawMessage
	if err := json.Unmarshal(doc, &compact); err != nil {
		return fmt.Errorf("policy %s: %w", name, err)
	}
	s.Policies[name] = compact
	return nil
}

// AttachPolicy attaches a stored or built-in identity policy to a user.
func (s *State) AttachPolicy(user, name string) error {
	u, ok := s.user(user)
	if !ok {
		return fmt.Errorf("user %s: %w", user, ErrNotFound)
	}
	if _, err := s.policy(name); err != nil {
		return err
	}
	if !slices.Contains(u.Policies, name) {
		u.Policies = append(u.Policies, name)
	}
	return nil
}

// DetachPolicy detaches an identity policy from a user.
func (s *State) DetachPolicy(user, name string) error {
	u, ok := s.user(user)
	if !ok {
		return fmt.Errorf("user %s: %w", user, ErrNotFound)
	}
	if !slices.Contains(u.Policies, name) {
		return fmt.Errorf("policy %s attached to %s: %w", name, user, ErrNotFound)
	}
	u.Policies = slices.DeleteFunc(u.Policies, func(p string) bool { return p == name })
	return nil
}

// User returns the user called name.
func (s *State) User(name string) (User, bool) {
	u, ok := s.user(name)
	if !ok {
		return User{}, false
	}
	return *u, true
}

// PolicyNames returns the names of the stored and built-in policies.
func (s *State) PolicyNames() []string {
	names := BuiltinPolicies()
	for n := range s.Policies {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// policy parses the stored or built-in policy called name.
func (s *State) policy(name string) (*policy.Policy, error) {
	doc, ok := s.Policies[name]
	if !ok {
		b, builtin := builtinPolicies[name]
		if !builtin {
			return nil, fmt.Errorf("policy %s: %w", name, ErrNotFound)
		}
		doc = json.RawMessage(b)
	}
	p, err := policy.Parse(doc, policy.Identity)
	if err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	return p, nil
}

// isAccountID reports whether s is a 12-digit account ID.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

const (
	upperAlnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// NewKeyPair returns a fresh access key of 20 characters (prefix, then
// random upper-case letters and digits) and a 40-character secret key.
func NewKeyPair(prefix string) (accessKey, secretKey string) {
	return prefix + randomString(20-len(prefix), upperAlnum), randomString(40, secretAlphabet)
}

// randomString returns n characters drawn uniformly from alphabet, whose
// length divides 256.
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// PolicyDocument returns the document of a stored or built-in policy.
func (s *State) PolicyDocument(name string) ([]byte, error) {
	if doc, ok := s.Policies[name]; ok {
		return doc, nil
	}
	if doc, ok := builtinPolicies[name]; ok {
		return []byte(doc), nil
	}
	return nil, fmt.Errorf("policy %s: %w", name, ErrNotFound)
}
