package sigv4

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxPresignExpiry is the longest validity of a pre-signed URL.
const MaxPresignExpiry = 7 * 24 * time.Hour

// authParams are the signature parameters of a request, from its
// Authorization header or its pre-signed query.
type authParams struct {
	accessKey     string
	date          string // yyyymmdd of the credential scope
	region        string
	signedHeaders []string // lower case, sorted, without duplicates
	signature     string   // lower-case hex
	presigned     bool
	amzDate       string        // X-Amz-Date of a pre-signed query
	expires       time.Duration // X-Amz-Expires of a pre-signed query
	securityToken string        // X-Amz-Security-Token of a pre-signed query
}

// scope is the credential scope the parameters name.
func (p *authParams) scope() string {
	return p.date + "/" + p.region + "/" + serviceS3 + "/" + terminator
}

// errorFunc makes the error of a malformed authentication parameter.
type errorFunc func(format string, args ...any) error

// headerError is the errorFunc of the Authorization header.
func headerError(format string, args ...any) error {
	return withMessage(ErrAuthorizationHeaderMalformed, "The authorization header is malformed; "+format, args...)
}

// queryError is the errorFunc of a pre-signed query parameter.
func queryError(param string) errorFunc {
	return func(format string, args ...any) error {
		return withMessage(ErrAuthorizationQueryParametersError, "Error parsing the "+param+" parameter; "+format, args...)
	}
}

// parseAuthorization parses the value of a SigV4 Authorization header:
// "AWS4-HMAC-SHA256 Credential=AK/date/region/s3/aws4_request,
// SignedHeaders=a;b, Signature=hex".
func parseAuthorization(h string) (authParams, error) {
	bad := headerError
	rest, ok := strings.CutPrefix(h, algorithm+" ")
	if !ok {
		return authParams{}, fmt.Errorf("authorization %.20q: %w", h, ErrUnsupportedAuth)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return authParams{}, bad("the authorization component %q is malformed.", part)
		}
		if _, dup := fields[k]; dup {
			return authParams{}, bad("the authorization component %q appears twice.", k)
		}
		fields[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if _, ok := fields[k]; !ok {
			return authParams{}, bad("missing %s.", k)
		}
	}
	if len(fields) != 3 {
		return authParams{}, bad("it holds unknown components.")
	}
	p, err := parseCredential(fields["Credential"], bad)
	if err != nil {
		return authParams{}, err
	}
	if p.signedHeaders, err = parseSignedHeaders(fields["SignedHeaders"], bad); err != nil {
		return authParams{}, err
	}
	if p.signature, err = parseSignature(fields["Signature"], bad); err != nil {
		return authParams{}, err
	}
	return p, nil
}

// parseCredential parses "AK/yyyymmdd/region/s3/aws4_request". The access
// key is everything before the last four parts.
func parseCredential(s string, bad errorFunc) (authParams, error) {
	parts := strings.Split(s, "/")
	n := len(parts)
	if n < 5 {
		return authParams{}, bad("the Credential %q must be access-key/date/region/s3/aws4_request.", s)
	}
	p := authParams{accessKey: strings.Join(parts[:n-4], "/"), date: parts[n-4], region: parts[n-3]}
	switch {
	case p.accessKey == "":
		return authParams{}, bad("the Credential has no access key.")
	case !isDate(p.date):
		return authParams{}, bad("the credential date %q is not yyyymmdd.", p.date)
	case p.region == "":
		return authParams{}, bad("the Credential has no region.")
	case parts[n-2] != serviceS3:
		return authParams{}, bad("incorrect service %q. This endpoint belongs to %q.", parts[n-2], serviceS3)
	case parts[n-1] != terminator:
		return authParams{}, bad("incorrect terminal %q. This endpoint uses %q.", parts[n-1], terminator)
	}
	return p, nil
}

func isDate(s string) bool {
	_, err := time.Parse(dateFormat, s)
	return err == nil && len(s) == len(dateFormat)
}

// parseSignedHeaders parses "a;b;c": lower-case names, sorted, each once,
// host among them.
func parseSignedHeaders(s string, bad errorFunc) ([]string, error) {
	names := strings.Split(s, ";")
	for i, name := range names {
		if name == "" || strings.ToLower(name) != name || !isToken(name) {
			return nil, bad("the signed header name %q is not valid.", name)
		}
		if i > 0 && names[i-1] >= name {
			return nil, bad("SignedHeaders %q must be sorted and hold each name once.", s)
		}
	}
	for _, name := range names {
		if name == "host" {
			return names, nil
		}
	}
	return nil, bad("the host header must be signed.")
}

// isToken tells whether s is a valid HTTP header name.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// parseSignature accepts 64 lower-case hex digits.
func parseSignature(s string, bad errorFunc) (string, error) {
	if !isSignature(s) {
		return "", bad("the signature %q is not 64 lower-case hex digits.", s)
	}
	return s, nil
}

// isSignature tells whether s is 64 lower-case hex digits.
func isSignature(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// The pre-signed query parameters.
const (
	paramAlgorithm     = "X-Amz-Algorithm"
	paramCredential    = "X-Amz-Credential"
	paramDate          = "X-Amz-Date"
	paramExpires       = "X-Amz-Expires"
	paramSignedHeaders = "X-Amz-SignedHeaders"
	paramSecurityToken = "X-Amz-Security-Token"
)

// parsePresigned parses the SigV4 parameters of a pre-signed query.
func parsePresigned(params []queryParam) (authParams, error) {
	base := ErrAuthorizationQueryParametersError
	q := map[string]string{}
	for _, pr := range params {
		switch pr.key {
		case paramAlgorithm, paramCredential, paramDate, paramExpires, paramSignedHeaders, signatureParam, paramSecurityToken:
			if _, dup := q[pr.key]; dup {
				return authParams{}, withMessage(base, "The query parameter %s appears twice.", pr.key)
			}
			q[pr.key] = pr.value
		}
	}
	if alg, ok := q[paramAlgorithm]; ok && alg != algorithm {
		return authParams{}, withMessage(base, "X-Amz-Algorithm only supports %q", algorithm)
	}
	for _, k := range []string{paramAlgorithm, paramCredential, signatureParam, paramDate, paramSignedHeaders, paramExpires} {
		if _, ok := q[k]; !ok {
			return authParams{}, withMessage(base, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
		}
	}
	p, err := parseCredential(q[paramCredential], queryError(paramCredential))
	if err != nil {
		return authParams{}, err
	}
	if p.expires, err = parseExpires(q[paramExpires]); err != nil {
		return authParams{}, err
	}
	if p.signedHeaders, err = parseSignedHeaders(q[paramSignedHeaders], queryError(paramSignedHeaders)); err != nil {
		return authParams{}, err
	}
	if p.signature, err = parseSignature(q[signatureParam], queryError(signatureParam)); err != nil {
		return authParams{}, err
	}
	p.presigned, p.amzDate, p.securityToken = true, q[paramDate], q[paramSecurityToken]
	return p, nil
}

// parseExpires accepts 1 to 604800 seconds.
func parseExpires(s string) (time.Duration, error) {
	base := ErrAuthorizationQueryParametersError
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil || strings.TrimLeft(s, "0123456789") != "":
		return 0, withMessage(base, "X-Amz-Expires should be a number")
	case n < 1:
		return 0, withMessage(base, "X-Amz-Expires must be positive")
	case n > int64(MaxPresignExpiry/time.Second):
		return 0, withMessage(base, "X-Amz-Expires must be less than a week (in seconds) that is; %d", int64(MaxPresignExpiry/time.Second))
	}
	return time.Duration(n) * time.Second, nil
}
