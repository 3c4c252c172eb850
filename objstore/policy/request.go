package policy

// Context holds the condition keys of a request.
type Context interface {
	// Value returns the values of a key in the form NormalizeKey gives
	// it, and whether the request has the key.
	Value(key string) ([]string, bool)
}

// Values is a Context kept in a map whose keys are normalized
// (NormalizeKey).
type Values map[string][]string

// Value returns the values of key.
func (v Values) Value(key string) ([]string, bool) {
	vals, ok := v[key]
	return vals, ok
}

// Set sets key (normalized here) to the given values.
func (v Values) Set(key string, values ...string) { v[NormalizeKey(key)] = values }

// Requester is who sends a request.
type Requester struct {
	// Anonymous requests carry no signature; the other fields are empty.
	Anonymous bool
	// Account is the 12-digit ID of the requester's account.
	Account string
	// ARN is the requester's ARN: arn:aws:iam::ACCOUNT:root for the
	// account's root, arn:aws:iam::ACCOUNT:user/NAME for a user.
	ARN string
	// ViaAccount lets an Allow that names the requester's account
	// (123456789012 or its :root ARN) rather than the requester apply to
	// it. AWS delegates such a grant to the account's identity policies:
	// it counts for a request to another account's resource (where the
	// requester's identity policy must allow too), not for a user of the
	// resource owner's own account. A Deny naming the account applies to
	// all its principals either way.
	ViaAccount bool
}

// Request is what a policy is asked about.
type Request struct {
	// Action is the action, such as "s3:GetObject".
	Action string
	// Resource is the resource's ARN, such as "arn:aws:s3:::bucket/key".
	Resource string
	// Requester sends the request.
	Requester Requester
	// Context holds the condition keys; nil means none.
	Context Context
}

// Decision is what a policy says about a request.
type Decision int

// The three outcomes of an evaluation.
const (
	// Implicit: no statement applies, so the request is denied unless
	// another policy allows it.
	Implicit Decision = iota
	// Allowed: a statement allows it and none denies it.
	Allowed
	// Denied: a statement denies it explicitly; nothing can allow it.
	Denied
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allow"
	case Denied:
		return "deny"
	}
	return "implicit deny"
}

// Combine merges the decisions of several policies: Denied wins, then
// Allowed, then Implicit.
func Combine(ds ...Decision) Decision {
	out := Implicit
	for _, d := range ds {
		if d == Denied {
			return Denied
		}
		if d == Allowed {
			out = Allowed
		}
	}
	return out
}

// AccountRoot returns the ARN of an account's root principal.
func AccountRoot(account string) string { return "arn:aws:iam::" + account + ":root" }
