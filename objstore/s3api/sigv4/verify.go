package sigv4

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// MaxSkew is how far a request's time may be from the server's clock.
const MaxSkew = 15 * time.Minute

// Credentials finds the secret key of an access key.
type Credentials interface {
	SecretKey(accessKey string) (secret string, ok bool)
}

// Verifier authenticates SigV4-signed requests.
type Verifier struct {
	// Credentials finds the secret keys.
	Credentials Credentials
	// Region, when set, is the only region a credential scope may name;
	// empty accepts any.
	Region string
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	keys keyCache
}

// Auth is what a verified request proved, and what decoding its body needs.
type Auth struct {
	// AccessKey signed the request.
	AccessKey string
	// Region is the region of the credential scope.
	Region string
	// Time is the signing time (x-amz-date, Date or X-Amz-Date).
	Time time.Time
	// Presigned tells the request was signed in its query string.
	Presigned bool
	// SessionToken is x-amz-security-token (or X-Amz-Security-Token), if sent.
	SessionToken string
	// Payload is how the body is protected, from x-amz-content-sha256.
	Payload PayloadMode
	// ContentSHA256 is the declared hex SHA-256 of the body, as sent,
	// when Payload is PayloadSigned.
	ContentSHA256 string
	// Signature is the request's hex signature: the seed of chunk signatures.
	Signature string
	// SigningKey is the derived SigV4 key that signs chunks and trailers.
	SigningKey []byte
}

// scope is the credential scope of the signature.
func (a *Auth) scope() string { return scope(a.Time, a.Region) }

// HasAuth tells whether r carries any authentication (an Authorization
// header or a pre-signed query, of any signature version). A request
// without it is anonymous: Verify rejects it with AccessDenied.
func HasAuth(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	for _, p := range parseQuery(r.URL.RawQuery) {
		switch p.key {
		case paramAlgorithm, paramCredential, signatureParam, "Signature", "AWSAccessKeyId":
			return true
		}
	}
	return false
}

// Verify authenticates r. It fails with an *objstore.Error (wrapped):
// AccessDenied without authentication or when a pre-signed URL expired,
// InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed,
// AuthorizationHeaderMalformed, AuthorizationQueryParametersError,
// InvalidRequest or InvalidArgument.
func (v *Verifier) Verify(r *http.Request) (*Auth, error) {
	auth, err := v.verify(r)
	if err != nil {
		return nil, fmt.Errorf("authenticate %s %s: %w", r.Method, r.URL.EscapedPath(), err)
	}
	return auth, nil
}

func (v *Verifier) verify(r *http.Request) (*Auth, error) {
	params := parseQuery(r.URL.RawQuery)
	p, err := parseRequestAuth(r, params)
	if err != nil {
		return nil, err
	}
	a := &Auth{AccessKey: p.accessKey, Region: p.region, Presigned: p.presigned, Signature: p.signature}
	if err := v.checkTime(r, &p, a); err != nil {
		return nil, err
	}
	if err := v.checkRegion(&p); err != nil {
		return nil, err
	}
	secret, ok := v.Credentials.SecretKey(p.accessKey)
	if !ok {
		return nil, fmt.Errorf("access key %q: %w", p.accessKey, ErrInvalidAccessKeyID)
	}
	if err := setPayload(r, a); err != nil {
		return nil, err
	}
	if err := checkUnsignedHeaders(r, p.signedHeaders); err != nil {
		return nil, err
	}
	a.SessionToken = p.securityToken
	if !a.Presigned {
		a.SessionToken = r.Header.Get("X-Amz-Security-Token")
	}
	a.SigningKey = v.keys.get(secret, a.Time, a.Region)
	if !signatureMatches(r, params, p.signedHeaders, a) {
		return nil, ErrSignatureDoesNotMatch
	}
	return a, nil
}

// signatureMatches tells whether a.Signature signs r's canonical request
// (with its host as sent, or without a default port).
func signatureMatches(r *http.Request, params []queryParam, signed []string, a *Auth) bool {
	for _, host := range hostVariants(r.Host) {
		canonical := canonicalRequest(r, host, params, signed, a.Payload.canonical(a))
		if sameSignature(signHex(a.SigningKey, stringToSign(a.Time, a.scope(), canonical)), a.Signature) {
			return true
		}
	}
	return false
}

// parseRequestAuth finds and parses the one SigV4 authentication of r.
func parseRequestAuth(r *http.Request, params []queryParam) (authParams, error) {
	header := r.Header.Get("Authorization")
	var presigned, v2 bool
	for _, pr := range params {
		presigned = presigned || pr.key == paramAlgorithm || pr.key == paramCredential || pr.key == signatureParam
		v2 = v2 || pr.key == "Signature" || pr.key == "AWSAccessKeyId"
	}
	switch {
	case header != "" && (presigned || v2) || presigned && v2:
		return authParams{}, ErrMultipleAuth
	case header != "":
		return parseAuthorization(header)
	case presigned:
		return parsePresigned(params)
	case v2:
		return authParams{}, ErrUnsupportedAuth
	}
	return authParams{}, errMissingAuth
}

// checkTime sets a.Time from the request and checks it against the clock:
// within MaxSkew for a signed header, within its validity for a
// pre-signed URL.
func (v *Verifier) checkTime(r *http.Request, p *authParams, a *Auth) error {
	t, err := requestTime(r, p)
	if err != nil {
		return err
	}
	if t.Format(dateFormat) != p.date {
		if p.presigned {
			return queryError(paramCredential)("Invalid credential date %q. Date is not the same as X-Amz-Date.", p.date)
		}
		return headerError("Invalid credential date %q. Date is not the same as X-Amz-Date.", p.date)
	}
	a.Time = t
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	clock := now().UTC()
	switch {
	case p.presigned && t.Sub(clock) > MaxSkew:
		return fmt.Errorf("X-Amz-Date %s is after %s: %w", t.Format(timeFormat), clock.Format(timeFormat), errNotYetValid)
	case p.presigned && clock.After(t.Add(p.expires)):
		return fmt.Errorf("expired at %s, now %s: %w", t.Add(p.expires).Format(timeFormat), clock.Format(timeFormat), errRequestExpired)
	case !p.presigned && (t.Sub(clock) > MaxSkew || clock.Sub(t) > MaxSkew):
		return fmt.Errorf("request time %s, server time %s: %w", t.Format(timeFormat), clock.Format(timeFormat), ErrRequestTimeTooSkewed)
	}
	return nil
}

// requestTime is the signing time: X-Amz-Date of a pre-signed query, else
// the x-amz-date header, else the Date header.
func requestTime(r *http.Request, p *authParams) (time.Time, error) {
	if p.presigned {
		t, err := time.Parse(timeFormat, p.amzDate)
		if err != nil {
			return time.Time{}, queryError(paramDate)("X-Amz-Date %q must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"", p.amzDate)
		}
		return t, nil
	}
	if s := r.Header.Get("X-Amz-Date"); s != "" {
		t, err := time.Parse(timeFormat, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("x-amz-date %q: %w", s, errMissingDate)
		}
		return t, nil
	}
	if s := r.Header.Get("Date"); s != "" {
		t, err := http.ParseTime(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("date %q: %w", s, errMissingDate)
		}
		return t.UTC(), nil
	}
	return time.Time{}, errMissingDate
}

// checkRegion checks the credential scope's region against v.Region.
func (v *Verifier) checkRegion(p *authParams) error {
	if v.Region == "" || p.region == v.Region {
		return nil
	}
	if p.presigned {
		return queryError(paramCredential)("the region %q is wrong; expecting %q", p.region, v.Region)
	}
	return headerError("the region %q is wrong; expecting %q", p.region, v.Region)
}

// checkUnsignedHeaders refuses x-amz-* headers left out of the signature,
// as S3 does: they change what a request does. signed is sorted.
func checkUnsignedHeaders(r *http.Request, signed []string) error {
	for name := range r.Header {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-amz-") {
			continue
		}
		if _, found := slices.BinarySearch(signed, lower); !found {
			return fmt.Errorf("header %s: %w", lower, errHeadersNotSigned)
		}
	}
	return nil
}
