package s3client

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cairnfs/cairn/objstore"
)

// optString returns a pointer to v, or nil for the empty string, which S3
// inputs treat as "not set".
func optString(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// optTime returns a pointer to t, or nil for the zero time.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// pageSize returns the page size of a listing: nil (S3's default of
// 1000) for zero, and at most 1000, which S3 caps it at anyway. Negative
// sizes go as they are, for the server to refuse.
func pageSize(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(max(min(n, objstore.MaxListKeys), -1))
	return &v
}

// checkPart checks a part number (1 to 10,000) before it travels as an
// int32 that a larger value would wrap around in.
func checkPart(n int) (*int32, error) {
	if n < 1 || n > objstore.MaxPartNumber {
		return nil, fmt.Errorf("part number %d: %w", n, objstore.ErrTooManyParts)
	}
	v := int32(n)
	return &v, nil
}

// optPartNumber is checkPart for reads, where 0 means none.
func optPartNumber(n int) (*int32, error) {
	if n == 0 {
		return nil, nil
	}
	return checkPart(n)
}

// unquote strips the quotes S3 puts around ETags.
func unquote(etag *string) string {
	return strings.Trim(aws.ToString(etag), `"`)
}

// quote puts an ETag in quotes for a request header, unless it is "*" or
// quoted already.
func quote(etag string) string {
	if etag == "" || etag == "*" || strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/"`) {
		return etag
	}
	return `"` + etag + `"`
}

// versionOf returns a response's version ID. S3 sends none for objects of
// buckets that were never versioned: their version is the null version.
func versionOf(v *string) string {
	if id := aws.ToString(v); id != "" {
		return id
	}
	return objstore.NullVersionID
}

// requestVersion returns the version ID of a request: nil for none.
func requestVersion(id string) *string { return optString(id) }

// storageClass returns the class a response reports; S3 omits STANDARD.
func storageClass[T ~string](c T) objstore.StorageClass {
	if c == "" {
		return objstore.DefaultStorageClass
	}
	return objstore.StorageClass(c)
}

// checksumFields are the checksum values a response or request carries,
// by algorithm.
type checksumFields struct {
	CRC32, CRC32C, CRC64NVME, SHA1, SHA256 *string
	Type                                   types.ChecksumType
}

// checksum returns the one checksum set in f, or nil.
func (f checksumFields) checksum() *objstore.Checksum {
	for _, c := range []struct {
		alg objstore.ChecksumAlgorithm
		v   *string
	}{
		{objstore.ChecksumCRC32, f.CRC32}, {objstore.ChecksumCRC32C, f.CRC32C},
		{objstore.ChecksumCRC64NVME, f.CRC64NVME}, {objstore.ChecksumSHA1, f.SHA1},
		{objstore.ChecksumSHA256, f.SHA256},
	} {
		if v := aws.ToString(c.v); v != "" {
			return &objstore.Checksum{Algorithm: c.alg, Value: v, Type: string(f.Type)}
		}
	}
	return nil
}

// checksumRequest returns the request fields that send c: its algorithm,
// and its value when the caller knows it.
func checksumRequest(c *objstore.Checksum) (types.ChecksumAlgorithm, checksumFields) {
	var f checksumFields
	if c == nil || c.Algorithm == "" {
		return "", f
	}
	if c.Value != "" {
		v := c.Value
		switch c.Algorithm {
		case objstore.ChecksumCRC32:
			f.CRC32 = &v
		case objstore.ChecksumCRC32C:
			f.CRC32C = &v
		case objstore.ChecksumCRC64NVME:
			f.CRC64NVME = &v
		case objstore.ChecksumSHA1:
			f.SHA1 = &v
		case objstore.ChecksumSHA256:
			f.SHA256 = &v
		}
	}
	return types.ChecksumAlgorithm(c.Algorithm), f
}

// checkChecksum refuses an algorithm S3 does not know before any byte is sent.
func checkChecksum(c *objstore.Checksum) error {
	if c == nil || c.Algorithm == "" {
		return nil
	}
	_, err := objstore.ParseChecksumAlgorithm(string(c.Algorithm))
	return err
}

// tagHeader encodes tags as the x-amz-tagging header: a URL query, keys in order.
func tagHeader(tags objstore.Tags) *string {
	if len(tags) == 0 {
		return nil
	}
	q := url.Values{}
	for k, v := range tags {
		q.Set(k, v)
	}
	return aws.String(q.Encode())
}

// tagSet converts tags to S3's tag set, in key order.
func tagSet(tags objstore.Tags) []types.Tag {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]types.Tag, len(keys))
	for i, k := range keys {
		out[i] = types.Tag{Key: aws.String(k), Value: aws.String(tags[k])}
	}
	return out
}

// fromTagSet converts S3's tag set to objstore tags.
func fromTagSet(set []types.Tag) objstore.Tags {
	tags := objstore.Tags{}
	for _, t := range set {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags
}

// copySource formats x-amz-copy-source: bucket/key URL-encoded, and the
// version. Slashes stay, so the key reads as it is.
func copySource(src objstore.CopySource) *string {
	v := src.Bucket + "/" + escapePath(src.Key)
	if src.VersionID != "" {
		v += "?versionId=" + url.QueryEscape(src.VersionID)
	}
	return &v
}

// escapePath percent-encodes everything but unreserved characters and '/'.
func escapePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// contentRange parses "bytes first-last/size": the offset and length of
// the bytes sent and the whole object's size.
func contentRange(v string) (offset, length, size int64, err error) {
	spec, ok := strings.CutPrefix(v, "bytes ")
	rng, total, ok2 := strings.Cut(spec, "/")
	first, last, ok3 := strings.Cut(rng, "-")
	if !ok || !ok2 || !ok3 {
		return 0, 0, 0, fmt.Errorf("content-range %q: malformed", v)
	}
	f, err1 := strconv.ParseInt(first, 10, 64)
	l, err2 := strconv.ParseInt(last, 10, 64)
	n, err3 := strconv.ParseInt(total, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || f < 0 || l < f || n <= l {
		return 0, 0, 0, fmt.Errorf("content-range %q: malformed", v)
	}
	return f, l - f + 1, n, nil
}

// parseHTTPTime parses an HTTP date header, zero when absent or invalid.
func parseHTTPTime(v string) time.Time {
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// decoder undoes encoding-type=url on the names of a listing.
type decoder struct{ on bool }

func newDecoder(t types.EncodingType) decoder { return decoder{on: t == types.EncodingTypeUrl} }

func (d decoder) name(p *string) (string, error) {
	s := aws.ToString(p)
	if !d.on {
		return s, nil
	}
	out, err := url.QueryUnescape(s)
	if err != nil {
		return "", fmt.Errorf("decode listed name %q: %w", s, err)
	}
	return out, nil
}
