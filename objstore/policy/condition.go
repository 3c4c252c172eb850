package policy

import (
	"encoding/json"
	"sort"
	"strings"
)

// setQualifier is how a condition treats multi-valued context keys.
type setQualifier int

const (
	singleValue setQualifier = iota
	forAnyValue
	forAllValues
)

// Condition is one key of one operator of a Condition element: all of a
// statement's conditions must hold, and a condition holds when the
// request's value of Key satisfies the operator with one of Values.
type Condition struct {
	// Operator is the operator as written, such as
	// "ForAnyValue:StringLikeIfExists".
	Operator string
	// Key is the context key, with its name part in lower case
	// ("aws:sourceip", "s3:existingobjecttag/Project").
	Key string
	// Values are the policy values, as text.
	Values []string

	op       operator
	set      setQualifier
	ifExists bool
}

// parseConditions reads a Condition element: operator → key → values.
func parseConditions(raw json.RawMessage) ([]Condition, error) {
	var ops map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil || ops == nil {
		return nil, errorf("Condition must be a JSON object")
	}
	var out []Condition
	for _, name := range sortedKeys(ops) {
		tmpl, err := parseOperator(name)
		if err != nil {
			return nil, err
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(ops[name], &keys); err != nil || len(keys) == 0 {
			return nil, errorf("Condition %s must map condition keys to values", name)
		}
		for _, key := range sortedKeys(keys) {
			c, err := tmpl.withKey(key, keys[key])
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parseOperator reads an operator name with its set qualifier and
// IfExists suffix.
func parseOperator(name string) (Condition, error) {
	c := Condition{Operator: name}
	base := name
	if q, rest, ok := strings.Cut(base, ":"); ok {
		switch strings.ToLower(q) {
		case "foranyvalue":
			c.set = forAnyValue
		case "forallvalues":
			c.set = forAllValues
		default:
			return c, errorf("Invalid Condition type : %s", name)
		}
		base = rest
	}
	if b, ok := cutSuffixFold(base, "IfExists"); ok {
		c.ifExists, base = true, b
	}
	op, ok := operators[strings.ToLower(base)]
	if !ok || op.kind == kindNull && (c.ifExists || c.set != singleValue) {
		return c, errorf("Invalid Condition type : %s", name)
	}
	c.op = op
	return c, nil
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// withKey completes an operator with its key and values.
func (c Condition) withKey(key string, raw json.RawMessage) (Condition, error) {
	prefix, name, ok := strings.Cut(key, ":")
	if !ok || prefix == "" || name == "" {
		return c, errorf("Policy has an invalid condition key: %s", key)
	}
	c.Key = NormalizeKey(key)
	vals, err := scalarList(raw, key)
	if err != nil {
		return c, err
	}
	for _, v := range vals {
		if !c.op.checkValue(v) {
			return c, errorf("Invalid Condition value for %s %s: %q", c.Operator, key, v)
		}
	}
	c.Values = vals
	return c, nil
}

// NormalizeKey returns the form of a condition key that Context lookups
// use: the key's name in lower case up to its first "/", the rest (a tag
// key, say) as it is.
func NormalizeKey(key string) string {
	name, rest, found := strings.Cut(key, "/")
	if !found {
		return strings.ToLower(key)
	}
	return strings.ToLower(name) + "/" + rest
}

// holds evaluates the condition against a request's context.
func (c Condition) holds(ctx Context, vars func(string) string) bool {
	vals, _ := ctx.Value(c.Key)
	present := len(vals) > 0
	if c.op.kind == kindNull {
		for _, v := range c.Values {
			if strings.EqualFold(v, "true") == !present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists, c.set == forAllValues:
			return true
		case c.set == forAnyValue:
			return false
		}
		return c.op.negated
	}
	one := func(v string) bool { return c.matchesOne(v, vars) != c.op.negated }
	switch c.set {
	case forAllValues:
		for _, v := range vals {
			if !one(v) {
				return false
			}
		}
		return true
	case forAnyValue:
		for _, v := range vals {
			if one(v) {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		if c.matchesOne(v, vars) {
			return !c.op.negated
		}
	}
	return c.op.negated
}

// matchesOne reports whether one request value satisfies the positive
// operator with any policy value.
func (c Condition) matchesOne(v string, vars func(string) string) bool {
	for _, p := range c.Values {
		if c.op.kind == kindString && vars != nil {
			p = vars(p)
		}
		if c.op.equal(v, p) {
			return true
		}
	}
	return false
}
