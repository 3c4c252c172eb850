package policy

import "strings"

// Evaluate tells what the policy says about r. A nil policy says nothing.
func (p *Policy) Evaluate(r Request) Decision {
	if p == nil {
		return Implicit
	}
	if r.Context == nil {
		r.Context = Values{}
	}
	vars := p.variables(r)
	d := Implicit
	for i := range p.Statements {
		st := &p.Statements[i]
		if !st.applies(r, vars) {
			continue
		}
		if st.Effect == Deny {
			return Denied
		}
		d = Allowed
	}
	return d
}

// applies reports whether the statement matches every part of r.
func (st *Statement) applies(r Request, vars func(string) string) bool {
	viaAccount := r.Requester.ViaAccount || st.Effect == Deny
	if st.Principal != nil && !st.Principal.matches(r.Requester, viaAccount) {
		return false
	}
	if st.NotPrincipal != nil && st.NotPrincipal.matches(r.Requester, true) {
		return false
	}
	if !listMatches(st.Actions, st.NotActions, r.Action, matchFold, nil) {
		return false
	}
	if !listMatches(st.Resources, st.NotResources, r.Resource, match, vars) {
		return false
	}
	for _, c := range st.Conditions {
		if !c.holds(r.Context, vars) {
			return false
		}
	}
	return true
}

// listMatches matches s against an element and its Not form: some
// pattern of in matches it, or (with not given) none of not does.
func listMatches(in, not []string, s string, m func(p, s string) bool, vars func(string) string) bool {
	list, want := in, true
	if in == nil {
		list, want = not, false
	}
	for _, p := range list {
		if vars != nil {
			p = vars(p)
		}
		if m(p, s) {
			return want
		}
	}
	return !want
}

// matches reports whether the principal element names the requester,
// directly or, with viaAccount, through its account.
func (pr *Principal) matches(r Requester, viaAccount bool) bool {
	if pr.Any {
		return true
	}
	if r.Anonymous {
		return false
	}
	for _, a := range pr.AWS {
		if a == r.ARN || viaAccount && a == AccountRoot(r.Account) {
			return true
		}
	}
	return false
}

// variables returns the substitution of policy variables (${aws:username}
// and the like) in resources and condition values; nil for documents of
// the 2008 language, which has none.
func (p *Policy) variables(r Request) func(string) string {
	if p.Version != Version2012 {
		return nil
	}
	return func(s string) string {
		if !strings.Contains(s, "${") {
			return s
		}
		return substitute(s, r.Context)
	}
}

// substitute replaces each ${key} (or ${key, 'default'}) of s with the
// key's value; a key the request lacks and has no default for leaves
// nothing matched: it becomes a character no name holds.
func substitute(s string, ctx Context) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(variable(s[i+2:i+j], ctx))
		s = s[i+j+1:]
	}
}

// variable is the value of one ${...} expression.
func variable(expr string, ctx Context) string {
	switch expr {
	case "*", "?", "$":
		return expr
	}
	key, def, hasDefault := strings.Cut(expr, ",")
	if vals, ok := ctx.Value(NormalizeKey(strings.TrimSpace(key))); ok && len(vals) == 1 {
		return vals[0]
	}
	if hasDefault {
		return strings.Trim(strings.TrimSpace(def), "'")
	}
	return "\x00"
}
