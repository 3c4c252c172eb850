package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm      = "AWS4-HMAC-SHA256"
	timeFormat     = "20060102T150405Z"
	dateFormat     = "20060102"
	serviceS3      = "s3"
	terminator     = "aws4_request"
	emptySHA256    = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	unsignedValue  = "UNSIGNED-PAYLOAD"
	signatureParam = "X-Amz-Signature"
)

const upperHex = "0123456789ABCDEF"

// uriEncode percent-encodes every byte of s but the unreserved characters
// of RFC 3986 (and '/' when keepSlash), with upper-case hex, as SigV4 does.
func uriEncode(s string, keepSlash bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || keepSlash && c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalURI is the canonical form S3 gives a request path: each segment
// decoded once and encoded again, without removing empty, "." or ".."
// segments. An encoded slash (%2F) stays part of its segment.
func canonicalURI(escapedPath string) string {
	if escapedPath == "" {
		return "/"
	}
	segs := strings.Split(escapedPath, "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		segs[i] = uriEncode(s, false)
	}
	return strings.Join(segs, "/")
}

// queryParam is one decoded name=value pair of a query string.
type queryParam struct{ key, value string }

// parseQuery splits a raw query into decoded pairs, keeping their order
// and duplicates. A part that does not decode is kept as it is.
func parseQuery(raw string) []queryParam {
	var params []queryParam
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		params = append(params, queryParam{queryUnescape(k), queryUnescape(v)})
	}
	return params
}

func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// canonicalQuery encodes params and sorts them by name, then value,
// leaving out X-Amz-Signature.
func canonicalQuery(params []queryParam) string {
	enc := make([]queryParam, 0, len(params))
	for _, p := range params {
		if p.key == signatureParam {
			continue
		}
		enc = append(enc, queryParam{uriEncode(p.key, false), uriEncode(p.value, false)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].key != enc[j].key {
			return enc[i].key < enc[j].key
		}
		return enc[i].value < enc[j].value
	})
	parts := make([]string, len(enc))
	for i, p := range enc {
		parts[i] = p.key + "=" + p.value
	}
	return strings.Join(parts, "&")
}

// headerValue is the canonical value of a signed header: its values
// trimmed, inner runs of spaces collapsed, joined by commas.
func headerValue(r *http.Request, host, name string) string {
	if name == "host" {
		return trimValue(host)
	}
	vals := r.Header.Values(name)
	switch {
	case len(vals) > 0:
	case name == "content-length" && r.ContentLength >= 0:
		vals = []string{strconv.FormatInt(r.ContentLength, 10)}
	case name == "transfer-encoding":
		vals = r.TransferEncoding
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = trimValue(v)
	}
	return strings.Join(out, ",")
}

func trimValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// canonicalRequest builds S3's canonical request of r, with host as its
// host header. signed holds the signed header names, lower case and sorted.
func canonicalRequest(r *http.Request, host string, params []queryParam, signed []string, payload string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL.EscapedPath()))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(params))
	b.WriteByte('\n')
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, host, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// hostVariants are the host header values a client may have signed for
// the host it sent: that host, and without a default port (SDKs sign
// "h" while some clients send "h:443").
func hostVariants(host string) []string {
	for _, port := range []string{":80", ":443"} {
		if h, ok := strings.CutSuffix(host, port); ok && h != "" {
			return []string{host, h}
		}
	}
	return []string{host}
}

// scope is the credential scope of a date and region.
func scope(t time.Time, region string) string {
	return t.UTC().Format(dateFormat) + "/" + region + "/" + serviceS3 + "/" + terminator
}

// stringToSign is the SigV4 string to sign of a canonical request.
func stringToSign(t time.Time, scope, canonical string) string {
	return algorithm + "\n" + t.UTC().Format(timeFormat) + "\n" + scope + "\n" + hashHex([]byte(canonical))
}

// signingKey derives the SigV4 signing key of a secret, date and region.
func signingKey(secret string, t time.Time, region string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), t.UTC().Format(dateFormat))
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, serviceS3)
	return hmacSHA256(k, terminator)
}

// signHex is the hex HMAC-SHA256 of msg under key.
func signHex(key []byte, msg string) string {
	return hex.EncodeToString(hmacSHA256(key, msg))
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sameSignature compares two hex signatures in constant time.
func sameSignature(a, b string) bool {
	return hmac.Equal([]byte(a), []byte(b))
}
