package policy

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Kind is what a document is for, which decides what its statements
// must and must not hold.
type Kind int

const (
	// Identity policies are attached to users: no Principal.
	Identity Kind = iota
	// Resource policies (bucket policies) name a Principal in each
	// statement.
	Resource
)

// Parse reads a policy document of the given kind. The errors it
// returns are *Error values naming what is wrong.
func Parse(data []byte, kind Kind) (*Policy, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' || !json.Valid(data) {
		return nil, errorf("Policies must be valid JSON and the first byte must be '{'")
	}
	top, err := object(data, "Policy", "Version", "Id", "Statement")
	if err != nil {
		return nil, err
	}
	p := &Policy{Version: version2008}
	if raw, ok := top["Version"]; ok {
		if p.Version, err = stringValue(raw, "Version"); err != nil {
			return nil, err
		}
		if p.Version != Version2012 && p.Version != version2008 {
			return nil, errorf("The policy must contain a valid version string")
		}
	}
	if raw, ok := top["Id"]; ok {
		if p.ID, err = stringValue(raw, "Id"); err != nil {
			return nil, err
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, errorf("Missing required field Statement")
	}
	if p.Statements, err = parseStatements(raw, kind); err != nil {
		return nil, err
	}
	return p, nil
}

// ParseBucket reads the policy of a bucket: a resource policy whose
// resources all lie in the bucket.
func ParseBucket(data []byte, bucket string) (*Policy, error) {
	p, err := Parse(data, Resource)
	if err != nil {
		return nil, err
	}
	for _, st := range p.Statements {
		for _, r := range append(append([]string(nil), st.Resources...), st.NotResources...) {
			if !inBucket(r, bucket) {
				return nil, errorf("Policy has invalid resource: %s is not in bucket %s", r, bucket)
			}
		}
		for _, a := range append(append([]string(nil), st.Actions...), st.NotActions...) {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
				return nil, errorf("Policy has invalid action: %s", a)
			}
		}
	}
	return p, nil
}

// inBucket reports whether a resource pattern may name the bucket or
// its objects.
func inBucket(resource, bucket string) bool {
	rest, ok := strings.CutPrefix(resource, "arn:aws:s3:::")
	if !ok {
		return false
	}
	name, _, _ := strings.Cut(rest, "/")
	return match(name, bucket)
}

// parseStatements reads the Statement element: one object or an array.
func parseStatements(raw json.RawMessage, kind Kind) ([]Statement, error) {
	raw = bytes.TrimSpace(raw)
	var list []json.RawMessage
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, errorf("Statement must be an object or an array of objects")
		}
	} else {
		list = []json.RawMessage{raw}
	}
	if len(list) == 0 {
		return nil, errorf("Could not parse the policy: Statement is empty!")
	}
	out := make([]Statement, 0, len(list))
	for _, r := range list {
		st, err := parseStatement(r, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// statementFields are the elements a statement may hold.
var statementFields = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func parseStatement(raw json.RawMessage, kind Kind) (Statement, error) {
	var st Statement
	f, err := object(raw, "Statement", statementFields...)
	if err != nil {
		return st, err
	}
	if r, ok := f["Sid"]; ok {
		if st.Sid, err = stringValue(r, "Sid"); err != nil {
			return st, err
		}
	}
	if err := st.parseEffect(f); err != nil {
		return st, err
	}
	if err := st.parsePrincipals(f, kind); err != nil {
		return st, err
	}
	if st.Actions, st.NotActions, err = pair(f, "Action", checkAction); err != nil {
		return st, err
	}
	if st.Resources, st.NotResources, err = pair(f, "Resource", checkResource); err != nil {
		return st, err
	}
	if r, ok := f["Condition"]; ok {
		if st.Conditions, err = parseConditions(r); err != nil {
			return st, err
		}
	}
	return st, nil
}

func (st *Statement) parseEffect(f map[string]json.RawMessage) error {
	raw, ok := f["Effect"]
	if !ok {
		return errorf("Missing required field Effect")
	}
	e, err := stringValue(raw, "Effect")
	if err != nil {
		return err
	}
	if e != string(Allow) && e != string(Deny) {
		return errorf("Invalid effect: %s", e)
	}
	st.Effect = Effect(e)
	return nil
}

func (st *Statement) parsePrincipals(f map[string]json.RawMessage, kind Kind) error {
	p, hasP := f["Principal"]
	np, hasNP := f["NotPrincipal"]
	switch {
	case kind == Identity && (hasP || hasNP):
		return errorf("Policy document should not specify a principal")
	case kind == Identity:
		return nil
	case hasP && hasNP:
		return errorf("Statement has both Principal and NotPrincipal")
	case !hasP && !hasNP:
		return errorf("Missing required field Principal")
	}
	var err error
	if hasP {
		st.Principal, err = parsePrincipal(p)
	} else {
		st.NotPrincipal, err = parsePrincipal(np)
	}
	return err
}

// pair reads an element that comes as name or Not<name>: exactly one of
// them, each pattern checked.
func pair(f map[string]json.RawMessage, name string, check func(string) error) (in, not []string, err error) {
	r, hasIn := f[name]
	nr, hasNot := f["Not"+name]
	switch {
	case hasIn && hasNot:
		return nil, nil, errorf("Statement has both %s and Not%s", name, name)
	case !hasIn && !hasNot:
		return nil, nil, errorf("Missing required field %s", name)
	case hasIn:
		in, err = stringList(r, name)
	default:
		not, err = stringList(nr, "Not"+name)
	}
	if err != nil {
		return nil, nil, err
	}
	for _, v := range append(in, not...) {
		if err := check(v); err != nil {
			return nil, nil, err
		}
	}
	return in, not, nil
}

// checkAction accepts "*" and service:pattern.
func checkAction(a string) error {
	if a == "*" {
		return nil
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || svc == "" || name == "" || strings.ContainsAny(svc, "*? ") {
		return errorf("Policy has invalid action: %q", a)
	}
	return nil
}

// checkResource accepts "*" and ARN patterns.
func checkResource(r string) error {
	if r == "*" || strings.HasPrefix(r, "arn:") && strings.Count(r, ":") >= 5 {
		return nil
	}
	return errorf("Policy has invalid resource: %q", r)
}
