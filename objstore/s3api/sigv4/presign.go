package sigv4

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Presign returns rawURL pre-signed for method: a URL that grants the
// request to whoever holds it, from now for expires (1 second to 7 days),
// signed with accessKey and secret for region. Only the host header is
// signed and the payload is UNSIGNED-PAYLOAD, as S3 tools do. The path
// comes out encoded the way SigV4 canonicalises it.
func Presign(method, rawURL, region, accessKey, secret string, expires time.Duration, now time.Time) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("presign %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("presign %q: need an http or https URL with a host and no user info", rawURL)
	}
	if expires < time.Second || expires > MaxPresignExpiry {
		return "", fmt.Errorf("presign %q: expiry %s is not between 1s and %s", rawURL, expires, MaxPresignExpiry)
	}
	if accessKey == "" || secret == "" || region == "" {
		return "", fmt.Errorf("presign %q: need an access key, a secret and a region", rawURL)
	}
	params := parseQuery(u.RawQuery)
	for _, p := range params {
		switch p.key {
		case paramAlgorithm, paramCredential, paramDate, paramExpires, paramSignedHeaders, signatureParam:
			return "", fmt.Errorf("presign %q: the URL already holds %s", rawURL, p.key)
		}
	}
	t := now.UTC().Truncate(time.Second)
	host := hostForSigning(u)
	params = append(params,
		queryParam{paramAlgorithm, algorithm},
		queryParam{paramCredential, accessKey + "/" + scope(t, region)},
		queryParam{paramDate, t.Format(timeFormat)},
		queryParam{paramExpires, strconv.FormatInt(int64(expires/time.Second), 10)},
		queryParam{paramSignedHeaders, "host"},
	)
	path, query := canonicalURI(u.EscapedPath()), canonicalQuery(params)
	canonical := method + "\n" + path + "\n" + query + "\nhost:" + trimValue(host) + "\n\nhost\n" + unsignedValue
	sig := signHex(signingKey(secret, t, region), stringToSign(t, scope(t, region), canonical))
	return u.Scheme + "://" + host + path + "?" + query + "&" + signatureParam + "=" + sig, nil
}

// hostForSigning is the Host header clients send for u: its host, without
// the default port of its scheme.
func hostForSigning(u *url.URL) string {
	port := u.Port()
	if u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		return strings.TrimSuffix(u.Host, ":"+port)
	}
	return u.Host
}
