package policy

import "strings"

// fixingKeys are the condition keys that tie a statement to known
// requesters or networks: an Allow to everyone under one of them (with a
// positive operator) is not public, as S3 judges it.
var fixingKeys = map[string]bool{
	"aws:sourceip": true, "aws:sourcevpc": true, "aws:sourcevpce": true,
	"aws:sourcearn": true, "aws:sourceaccount": true, "aws:sourceowner": true,
	"aws:principalaccount": true, "aws:principalarn": true, "aws:principalorgid": true,
	"aws:userid": true, "aws:username": true, "s3:dataaccesspointaccount": true,
}

// IsPublic reports whether the policy grants access to anyone: an Allow
// statement for Principal "*" (or with a NotPrincipal) that no condition
// ties to fixed requesters or networks.
func (p *Policy) IsPublic() bool {
	if p == nil {
		return false
	}
	for _, st := range p.Statements {
		if st.Effect == Allow && st.isPublic() {
			return true
		}
	}
	return false
}

func (st *Statement) isPublic() bool {
	everyone := st.NotPrincipal != nil || st.Principal != nil && st.Principal.Any
	if !everyone {
		return false
	}
	for _, c := range st.Conditions {
		if c.fixes() {
			return false
		}
	}
	return true
}

// fixes reports whether the condition limits requests to fixed values of
// a fixing key.
func (c Condition) fixes() bool {
	if !fixingKeys[c.Key] || c.op.negated || c.op.kind == kindNull || c.set == forAllValues {
		return false
	}
	if c.op.kind == kindIP {
		for _, v := range c.Values {
			if p, err := parsePrefix(v); err != nil || p.Bits() < 8 {
				return false
			}
		}
		return true
	}
	for _, v := range c.Values {
		if strings.Contains(v, "*") {
			return false
		}
	}
	return c.op.kind == kindString
}
