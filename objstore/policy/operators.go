package policy

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// valueKind is the type of the values an operator compares.
type valueKind int

const (
	kindString valueKind = iota
	kindNumber
	kindDate
	kindBool
	kindIP
	kindNull
)

// operator is a condition operator without its IfExists suffix and set
// qualifier: a positive comparison, which negated operators invert.
type operator struct {
	name    string
	kind    valueKind
	negated bool
	// equal reports whether a request value satisfies one policy value
	// of the positive form of the operator.
	equal func(req, pol string) bool
}

// operators are the condition operators by lower-case name.
var operators = func() map[string]operator {
	m := map[string]operator{}
	add := func(name string, kind valueKind, eq func(req, pol string) bool, not string) {
		m[strings.ToLower(name)] = operator{name: name, kind: kind, equal: eq}
		if not != "" {
			m[strings.ToLower(not)] = operator{name: not, kind: kind, negated: true, equal: eq}
		}
	}
	add("StringEquals", kindString, func(r, p string) bool { return r == p }, "StringNotEquals")
	add("StringEqualsIgnoreCase", kindString, strings.EqualFold, "StringNotEqualsIgnoreCase")
	add("StringLike", kindString, func(r, p string) bool { return match(p, r) }, "StringNotLike")
	add("ArnEquals", kindString, func(r, p string) bool { return match(p, r) }, "ArnNotEquals")
	add("ArnLike", kindString, func(r, p string) bool { return match(p, r) }, "ArnNotLike")
	add("NumericEquals", kindNumber, numeric(func(c int) bool { return c == 0 }), "NumericNotEquals")
	add("NumericLessThan", kindNumber, numeric(func(c int) bool { return c < 0 }), "")
	add("NumericLessThanEquals", kindNumber, numeric(func(c int) bool { return c <= 0 }), "")
	add("NumericGreaterThan", kindNumber, numeric(func(c int) bool { return c > 0 }), "")
	add("NumericGreaterThanEquals", kindNumber, numeric(func(c int) bool { return c >= 0 }), "")
	add("DateEquals", kindDate, date(func(c int) bool { return c == 0 }), "DateNotEquals")
	add("DateLessThan", kindDate, date(func(c int) bool { return c < 0 }), "")
	add("DateLessThanEquals", kindDate, date(func(c int) bool { return c <= 0 }), "")
	add("DateGreaterThan", kindDate, date(func(c int) bool { return c > 0 }), "")
	add("DateGreaterThanEquals", kindDate, date(func(c int) bool { return c >= 0 }), "")
	add("Bool", kindBool, strings.EqualFold, "")
	add("IpAddress", kindIP, ipIn, "NotIpAddress")
	add("Null", kindNull, nil, "")
	return m
}()

// numeric compares a request number with a policy number.
func numeric(ok func(cmp int) bool) func(req, pol string) bool {
	return func(req, pol string) bool {
		r, err1 := strconv.ParseFloat(req, 64)
		p, err2 := strconv.ParseFloat(pol, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		switch {
		case r < p:
			return ok(-1)
		case r > p:
			return ok(1)
		}
		return ok(0)
	}
}

// date compares a request time with a policy time.
func date(ok func(cmp int) bool) func(req, pol string) bool {
	return func(req, pol string) bool {
		r, err1 := parseDate(req)
		p, err2 := parseDate(pol)
		if err1 != nil || err2 != nil {
			return false
		}
		return ok(r.Compare(p))
	}
}

// dateLayouts are the ISO 8601 forms a date may take.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"}

// parseDate reads an ISO 8601 date and time, or seconds since the epoch.
func parseDate(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	var err error
	for _, l := range dateLayouts {
		var t time.Time
		if t, err = time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// parsePrefix reads an address range in CIDR notation, or one address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ipIn reports whether the request address lies in the policy range.
func ipIn(req, pol string) bool {
	a, err := netip.ParseAddr(req)
	if err != nil {
		return false
	}
	p, err := parsePrefix(pol)
	if err != nil {
		return false
	}
	return p.Contains(a.Unmap())
}

// checkValue tells whether a policy value suits the operator's kind.
func (o operator) checkValue(v string) bool {
	switch o.kind {
	case kindNumber:
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case kindDate:
		_, err := parseDate(v)
		return err == nil
	case kindBool, kindNull:
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
	case kindIP:
		_, err := parsePrefix(v)
		return err == nil
	}
	return true
}
