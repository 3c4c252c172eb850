package s3api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cairnfs/cairn/objstore"
	"github.com/cairnfs/cairn/objstore/s3api/sigv4"
)

const metaPrefix = "X-Amz-Meta-"

// metaFromHeaders reads what a writer sets on an object from its headers.
func metaFromHeaders(h http.Header) (objstore.ObjectMeta, error) {
	m := objstore.ObjectMeta{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    h.Get("Content-Encoding"),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
		StorageClass:       objstore.StorageClass(h.Get("x-amz-storage-class")),
	}
	// aws-chunked is a transfer detail, not the object's encoding.
	m.ContentEncoding = sigv4.TrimAWSChunked(m.ContentEncoding)
	for name, vals := range h {
		if k, ok := strings.CutPrefix(name, metaPrefix); ok {
			if m.UserMetadata == nil {
				m.UserMetadata = map[string]string{}
			}
			m.UserMetadata[strings.ToLower(k)] = strings.Join(vals, ",")
		}
	}
	if t := h.Get("x-amz-tagging"); t != "" {
		tags, err := parseTagHeader(t)
		if err != nil {
			return m, err
		}
		m.Tags = tags
	}
	return m, objstore.ValidateMeta(&m)
}

// parseTagHeader parses x-amz-tagging: a URL query of key=value pairs.
func parseTagHeader(v string) (objstore.Tags, error) {
	q, err := url.ParseQuery(v)
	if err != nil {
		return nil, fmt.Errorf("x-amz-tagging %q: %v: %w", v, err, objstore.ErrInvalidTag)
	}
	tags := objstore.Tags{}
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, fmt.Errorf("tag key %q given twice: %w", k, objstore.ErrInvalidTag)
		}
		tags[k] = vs[0]
	}
	return tags, nil
}

// setObjectHeaders writes an object's description into response headers;
// arns writes its KMS key, if any.
func setObjectHeaders(h http.Header, info *objstore.ObjectInfo, arns keyARNs) {
	h.Set("ETag", quoteETag(info.ETag))
	h.Set("Last-Modified", info.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	setIf(h, "Content-Type", info.ContentType)
	setIf(h, "Content-Encoding", info.ContentEncoding)
	setIf(h, "Content-Disposition", info.ContentDisposition)
	setIf(h, "Content-Language", info.ContentLanguage)
	setIf(h, "Cache-Control", info.CacheControl)
	setIf(h, "Expires", info.Expires)
	setVersionHeader(h, info.VersionID)
	if info.StorageClass != "" && info.StorageClass != objstore.DefaultStorageClass {
		h.Set("x-amz-storage-class", string(info.StorageClass))
	}
	for k, v := range info.UserMetadata {
		h[metaPrefix+k] = []string{v}
	}
	if len(info.Tags) > 0 {
		h.Set("x-amz-tagging-count", strconv.Itoa(len(info.Tags)))
	}
	setEncryptionHeaders(h, info.Encryption, arns)
	setIf(h, "x-amz-replication-status", info.ReplicationStatus)
	setLockHeaders(h, info.Lock)
	setRestoreHeader(h, info.Restore, time.Now())
}

// setChecksumHeader reports a stored checksum (x-amz-checksum-<alg>).
func setChecksumHeader(h http.Header, c *objstore.Checksum) {
	if c == nil || c.Value == "" {
		return
	}
	h.Set("x-amz-checksum-"+strings.ToLower(string(c.Algorithm)), c.Value)
	if c.Type != "" {
		h.Set("x-amz-checksum-type", c.Type)
	}
}

// setVersionHeader reports a version ID. Objects of buckets that were
// never versioned have the null version, which S3 leaves unreported.
func setVersionHeader(h http.Header, id string) {
	if id != "" && id != objstore.NullVersionID {
		h.Set("x-amz-version-id", id)
	}
}

func setIf(h http.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}

func quoteETag(etag string) string { return `"` + etag + `"` }

// conditionsFromHeaders reads If-* (or x-amz-copy-source-if-* with the
// prefix) preconditions.
func conditionsFromHeaders(h http.Header, prefix string) (objstore.Conditions, error) {
	c := objstore.Conditions{
		IfMatch:     h.Get(prefix + "If-Match"),
		IfNoneMatch: h.Get(prefix + "If-None-Match"),
	}
	var err error
	if c.IfModifiedSince, err = parseHTTPTime(h.Get(prefix + "If-Modified-Since")); err != nil {
		return c, err
	}
	c.IfUnmodifiedSince, err = parseHTTPTime(h.Get(prefix + "If-Unmodified-Since"))
	return c, err
}

// parseHTTPTime parses an HTTP date; S3 ignores dates it cannot parse.
func parseHTTPTime(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, nil
	}
	return t, nil
}

// checksumFromHeaders reads an additional checksum a writer sends
// (x-amz-checksum-<alg>: value) or asks for (x-amz-sdk-checksum-algorithm).
func checksumFromHeaders(h http.Header) (*objstore.Checksum, error) {
	for _, a := range []objstore.ChecksumAlgorithm{objstore.ChecksumCRC32, objstore.ChecksumCRC32C, objstore.ChecksumCRC64NVME, objstore.ChecksumSHA1, objstore.ChecksumSHA256} {
		if v := h.Get("x-amz-checksum-" + strings.ToLower(string(a))); v != "" {
			return &objstore.Checksum{Algorithm: a, Value: v}, nil
		}
	}
	for _, name := range []string{"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"} {
		if v := h.Get(name); v != "" {
			a, err := objstore.ParseChecksumAlgorithm(v)
			if err != nil {
				return nil, err
			}
			return &objstore.Checksum{Algorithm: a}, nil
		}
	}
	return nil, nil
}

// contentLength is the payload size a writer declares: the decoded length
// for aws-chunked bodies, else Content-Length.
func contentLength(r *http.Request) (int64, error) {
	if v := r.Header.Get("x-amz-decoded-content-length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("x-amz-decoded-content-length %q: %w", v, objstore.ErrInvalidArgument)
		}
		return n, nil
	}
	if r.ContentLength < 0 {
		return 0, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, objstore.ErrMissingContentLength)
	}
	return r.ContentLength, nil
}
