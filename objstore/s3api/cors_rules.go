package s3api

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cairnfs/cairn/objstore"
)

// corsConfig is the bucket configuration that holds a bucket's CORS rules.
const corsConfig = "cors"

// maxCORSRules is S3's limit of rules in one CORS configuration.
const maxCORSRules = 100

// corsConfiguration is S3's CORSConfiguration document.
type corsConfiguration struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	NS      string     `xml:"xmlns,attr,omitempty"`
	Rules   []corsRule `xml:"CORSRule"`
}

// corsRule is one CORSRule: which origins may make which requests, with
// which headers, and what the browser lets their scripts read.
type corsRule struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds"`
}

// corsMethods are the methods a CORS rule may allow.
var corsMethods = []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodHead}

func invalidCORS(format string, args ...any) error {
	return &objstore.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// validate checks a configuration as PutBucketCors does.
func (c *corsConfiguration) validate() error {
	if len(c.Rules) == 0 || len(c.Rules) > maxCORSRules {
		return fmt.Errorf("CORS configuration of %d rules (1 to %d): %w", len(c.Rules), maxCORSRules, objstore.ErrMalformedXML)
	}
	for i := range c.Rules {
		if err := c.Rules[i].validate(); err != nil {
			return err
		}
	}
	return nil
}

func (r *corsRule) validate() error {
	if len(r.AllowedOrigins) == 0 || len(r.AllowedMethods) == 0 {
		return fmt.Errorf("CORS rule %q without AllowedOrigin or AllowedMethod: %w", r.ID, objstore.ErrMalformedXML)
	}
	if r.MaxAgeSeconds != nil && *r.MaxAgeSeconds < 0 {
		return fmt.Errorf("CORS rule %q MaxAgeSeconds %d: %w", r.ID, *r.MaxAgeSeconds, objstore.ErrMalformedXML)
	}
	for _, m := range r.AllowedMethods {
		if !slices.Contains(corsMethods, m) {
			return invalidCORS("Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
		}
	}
	for _, o := range r.AllowedOrigins {
		if strings.Count(o, "*") > 1 {
			return invalidCORS("AllowedOrigin %q can not have more than one wildcard.", o)
		}
	}
	for _, h := range r.AllowedHeaders {
		if strings.Count(h, "*") > 1 {
			return invalidCORS("AllowedHeader %q can not have more than one wildcard.", h)
		}
	}
	return nil
}

// match returns the first rule that allows a request from origin with
// method and headers (lower case), or nil.
func (c *corsConfiguration) match(origin, method string, headers []string) *corsRule {
	for i := range c.Rules {
		if c.Rules[i].allows(origin, method, headers) {
			return &c.Rules[i]
		}
	}
	return nil
}

func (r *corsRule) allows(origin, method string, headers []string) bool {
	if !slices.Contains(r.AllowedMethods, method) {
		return false
	}
	if !slices.ContainsFunc(r.AllowedOrigins, func(p string) bool { return wildcardMatch(p, origin) }) {
		return false
	}
	for _, h := range headers {
		if !slices.ContainsFunc(r.AllowedHeaders, func(p string) bool { return wildcardMatch(strings.ToLower(p), h) }) {
			return false
		}
	}
	return true
}

// wildcardMatch tells whether s matches pattern, in which one "*" stands
// for any run of characters.
func wildcardMatch(pattern, s string) bool {
	before, after, wild := strings.Cut(pattern, "*")
	if !wild {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// corsVary is the Vary S3 sends on the responses of a bucket with CORS
// rules: a cache must not serve one origin's answer to another.
const corsVary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"

// setHeaders writes the rule's CORS headers for a request from origin;
// headers are the request headers a preflight asked for.
func (r *corsRule) setHeaders(h http.Header, origin string, headers []string) {
	if slices.Contains(r.AllowedOrigins, "*") {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(r.AllowedMethods, ", "))
	if len(headers) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
	}
	if len(r.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(r.ExposeHeaders, ", "))
	}
	if r.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", fmt.Sprint(*r.MaxAgeSeconds))
	}
}

// requestedHeaders splits Access-Control-Request-Headers into lower-case
// names.
func requestedHeaders(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	return out
}
