package policy

import (
	"bytes"
	"encoding/json"
	"strings"
)

// parsePrincipal reads a Principal or NotPrincipal element: "*" or an
// object of principal kinds.
func parsePrincipal(raw json.RawMessage) (*Principal, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		s, _ := stringValue(raw, "Principal")
		if s != "*" {
			return nil, errorf("Invalid principal in policy: %q", s)
		}
		return &Principal{Any: true}, nil
	}
	f, err := object(raw, "Principal", "AWS", "CanonicalUser", "Service", "Federated")
	if err != nil {
		return nil, errorf("Invalid principal in policy: %v", err)
	}
	if len(f) == 0 {
		return nil, errorf("Invalid principal in policy: empty")
	}
	p := &Principal{}
	for _, kind := range sortedKeys(f) {
		vals, err := stringList(f[kind], "Principal "+kind)
		if err != nil {
			return nil, err
		}
		if kind != "AWS" {
			p.Others = append(p.Others, vals...)
			continue
		}
		for _, v := range vals {
			if err := p.addAWS(v); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// addAWS adds one AWS principal: "*", an account ID or an IAM ARN.
func (p *Principal) addAWS(v string) error {
	switch {
	case v == "*":
		p.Any = true
	case isAccountID(v):
		p.AWS = append(p.AWS, AccountRoot(v))
	case validIAMARN(v):
		p.AWS = append(p.AWS, v)
	default:
		return errorf("Invalid principal in policy: %q", v)
	}
	return nil
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

// validIAMARN accepts arn:aws:iam::ACCOUNT:root, :user/NAME, :role/NAME
// (with paths) and sts assumed roles.
func validIAMARN(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[4] == "" {
		return false
	}
	if !isAccountID(parts[4]) || strings.ContainsAny(parts[5], "*?") {
		return false
	}
	res := parts[5]
	switch parts[2] {
	case "iam":
		return res == "root" || hasNamedPrefix(res, "user/") || hasNamedPrefix(res, "role/")
	case "sts":
		return hasNamedPrefix(res, "assumed-role/")
	}
	return false
}

func hasNamedPrefix(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	return ok && rest != "" && !strings.HasSuffix(rest, "/")
}
